// gostack for VS Code: starts gostack-lsp (tools/gostack-lsp) for C and C++
// files, next to clangd, and passes the gostack.* settings to it -- at start
// and whenever they change. Set-up: docs/EDITORS.md.
'use strict';

const vscode = require('vscode');
const { LanguageClient } = require('vscode-languageclient/node');

let client;

/** The settings gostack-lsp reads (its Server.h lists them). */
function serverSettings(config) {
  const settings = {
    enable: config.get('enable'),
    kinds: config.get('kinds'),
    timeoutSeconds: config.get('timeoutSeconds'),
  };
  if (config.get('compilationDatabasePath'))
    settings.compilationDatabasePath = config.get('compilationDatabasePath');
  if (config.get('plugin')) settings.plugin = config.get('plugin');
  return settings;
}

function activate(context) {
  const config = vscode.workspace.getConfiguration('gostack');
  const server = { command: config.get('server.path'), args: [] };
  client = new LanguageClient('gostack', 'gostack escape analysis',
    { run: server, debug: server },
    {
      documentSelector: [
        { scheme: 'file', language: 'cpp' },
        { scheme: 'file', language: 'c' },
      ],
      initializationOptions: serverSettings(config),
    });
  context.subscriptions.push(vscode.workspace.onDidChangeConfiguration((e) => {
    if (!e.affectsConfiguration('gostack')) return;
    client.sendNotification('workspace/didChangeConfiguration', {
      settings: { gostack: serverSettings(
        vscode.workspace.getConfiguration('gostack')) },
    });
  }));
  return client.start();
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate, serverSettings };
