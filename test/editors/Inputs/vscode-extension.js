// Activates editors/vscode/extension.js against stand-ins for VS Code and
// vscode-languageclient, and prints what it asks of them.
const path = require('path');
const Module = require('module');
process.env.NODE_PATH = path.join(__dirname, 'vscode-stubs', 'node_modules');
Module._initPaths();
const vscode = require('vscode');
const { LanguageClient } = require('vscode-languageclient/node');
const extension = require(process.argv[2]);

const context = { subscriptions: [] };
extension.activate(context).then(() => {
  const client = LanguageClient.last;
  console.log('server:', JSON.stringify(client.serverOptions.run));
  console.log('selector:', JSON.stringify(client.clientOptions.documentSelector));
  console.log('init:', JSON.stringify(client.clientOptions.initializationOptions));
  vscode.changeSettings({ 'gostack.kinds': { 'does-not-escape': false } });
  console.log('changed:', JSON.stringify(client.sent));
  return extension.deactivate();
});
