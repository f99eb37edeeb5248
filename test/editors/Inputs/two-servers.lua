-- Neovim 0.7 (Debian bookworm's), headless, with clangd-19 and gostack-lsp
-- attached to one C++ buffer: both servers' diagnostics arrive, gostack's
-- are Information with the flow, a fix clears them on save, the kind filter
-- hides a kind. Prints one line per check to standard output; any failure
-- quits with a non-zero status.
--
--   nvim --headless -u NONE -c "luafile two-servers.lua" FILE CLANGD LSP
local file, clangd_path, gostack_path = unpack(vim.fn.argv())
local root = vim.fn.fnamemodify(file, ':h')

local function say(line) io.stdout:write(line .. '\n') end
local function fail(why)
  say('FAIL: ' .. why)
  vim.cmd('cquit 1')
end

local clangd = vim.lsp.start_client({
  name = 'clangd',
  cmd = { clangd_path, '--compile-commands-dir=' .. root },
  root_dir = root,
})
local gostack = vim.lsp.start_client({
  name = 'gostack',
  cmd = { gostack_path },
  root_dir = root,
})
if not clangd or not gostack then fail('a server did not start') end

vim.cmd('edit ' .. file)
local buf = vim.api.nvim_get_current_buf()
vim.lsp.buf_attach_client(buf, clangd)
vim.lsp.buf_attach_client(buf, gostack)

local function diagnostics(client)
  return vim.diagnostic.get(buf,
    { namespace = vim.lsp.diagnostic.get_namespace(client) })
end
local function has(client, text)
  for _, d in ipairs(diagnostics(client)) do
    if d.message:find(text, 1, true) then return d end
  end
end
local function wait_for(what, condition)
  if not vim.wait(120000, condition, 50) then fail('no ' .. what) end
end

wait_for('gostack verdict', function() return has(gostack, 'moved to heap: n') end)
wait_for('clangd diagnostic',
  function() return has(clangd, 'stack memory associated') end)
local moved = has(gostack, 'moved to heap: n')
say(('gostack: %d:%d severity=%s source=%s code=%s %s'):format(
  moved.lnum + 1, moved.col + 1, vim.diagnostic.severity[moved.severity],
  moved.source, moved.user_data.lsp.code, moved.message))
say('gostack flow: ' .. moved.user_data.lsp.relatedInformation[1].message)
say('clangd: ' .. has(clangd, 'stack memory associated').message)
-- clangd cannot load the plugin: [[gostack::managed]] is unknown to it,
-- which .clangd silences (docs/EDITORS.md).
say('clangd unknown-attribute warnings: '
  .. (has(clangd, 'nknown attribute') and 'some' or 'none'))

-- The fix, saved: the stale verdict goes.
vim.cmd([[%s/return &n;/return nullptr;/]])
vim.cmd('write')
wait_for('cleared verdict', function() return not has(gostack, 'moved to heap') end)
wait_for('cleared clangd warning',
  function() return not has(clangd, 'stack memory associated') end)
say('clangd after the fix: no stack-address warning')
say('after the fix: ' .. #diagnostics(gostack) .. ' gostack diagnostic(s): '
  .. diagnostics(gostack)[1].message)

-- The filter.
vim.lsp.get_client_by_id(gostack).notify('workspace/didChangeConfiguration',
  { settings = { gostack = { kinds = { escapes = false } } } })
wait_for('filtered kind', function() return #diagnostics(gostack) == 0 end)
say('filtered: ' .. #diagnostics(gostack) .. ' gostack diagnostic(s)')

vim.lsp.stop_client({ clangd, gostack })
vim.cmd('qall!')
