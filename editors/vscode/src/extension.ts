// The juris extension: starts `juris lsp` and hands .juris documents to it. All
// language features live in the server; this file only starts, restarts and stops it.

import * as vscode from "vscode";
import {
  LanguageClient,
  LanguageClientOptions,
  ServerOptions,
} from "vscode-languageclient/node";

let client: LanguageClient | undefined;

function serverOptions(): ServerOptions {
  const config = vscode.workspace.getConfiguration("juris");
  const command = config.get<string>("server.path")?.trim() || "juris";
  const extra = config.get<string[]>("server.extraArgs") ?? [];
  return { command, args: ["lsp", ...extra] };
}

async function start(): Promise<void> {
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: "file", language: "juris" },
      { scheme: "untitled", language: "juris" },
    ],
    // Files changed on disk (a checkout, another editor) are re-read by the server.
    synchronize: {
      fileEvents: vscode.workspace.createFileSystemWatcher("**/*.juris"),
    },
  };
  client = new LanguageClient("juris", "juris", serverOptions(), clientOptions);
  try {
    await client.start();
  } catch (e) {
    const path = serverOptions();
    void vscode.window.showErrorMessage(
      `juris: could not start \`${"command" in path ? path.command : "juris"} lsp\`: ${e}. ` +
        "Install juris or set `juris.server.path`.",
    );
  }
}

async function stop(): Promise<void> {
  const c = client;
  client = undefined;
  if (c) {
    await c.stop();
  }
}

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  context.subscriptions.push(
    vscode.commands.registerCommand("juris.restartServer", async () => {
      await stop();
      await start();
    }),
    vscode.workspace.onDidChangeConfiguration(async (e) => {
      if (e.affectsConfiguration("juris.server")) {
        await stop();
        await start();
      }
    }),
  );
  await start();
}

export function deactivate(): Promise<void> {
  return stop();
}
