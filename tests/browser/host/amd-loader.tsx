/**
 * A minimal AMD loader for the plugin's `dist/module.js`. Webpack writes the module as
 * `define([dependency names], factory)`; Grafana resolves those names to its own copies of the shared
 * libraries, and this loader resolves them from a registry that the host fills with the same libraries.
 */

export type ModuleRegistry = Record<string, unknown>;

type AmdFactory = (...dependencies: unknown[]) => unknown;

interface PendingLoad {
  resolve: (exports: unknown) => void;
  reject: (error: Error) => void;
}

interface AmdDefine {
  (...args: unknown[]): void;
  amd: Record<string, never>;
}

declare global {
  interface Window {
    define?: AmdDefine;
  }
}

const pendingLoads = new Map<string, PendingLoad>();

/**
 * Wraps a module namespace the way webpack's AMD interop reads it: `__esModule` makes a default import
 * take `default`, and every named export stays readable as a property. Getters keep ES live bindings
 * live, such as `PluginPage` after `setPluginPage`.
 */
export function asAmdModule(namespace: object): object {
  const amdModule: Record<string, unknown> = { __esModule: true };
  for (const key of Object.keys(namespace)) {
    Object.defineProperty(amdModule, key, { enumerable: true, get: () => (namespace as Record<string, unknown>)[key] });
  }
  return amdModule;
}

function splitDefineArguments(args: unknown[]): { dependencies: string[]; factory: unknown } {
  const factory = args[args.length - 1];
  const dependencies = args.length >= 2 && Array.isArray(args[args.length - 2]) ? (args[args.length - 2] as string[]) : [];
  return { dependencies, factory };
}

function resolveDependency(registry: ModuleRegistry, name: string): unknown {
  if (!(name in registry)) {
    const known = Object.keys(registry).sort().join(', ');
    throw new Error(`the plugin module requires '${name}', which the test host does not provide (it provides: ${known})`);
  }
  return registry[name];
}

/** Installs the global `define` that resolves the dependencies of each loaded script from `registry`. */
export function installAmdDefine(registry: ModuleRegistry): void {
  const define = ((...args: unknown[]) => {
    const script = document.currentScript as HTMLScriptElement | null;
    const scriptPath = script === null ? '' : new URL(script.src).pathname;
    const pending = pendingLoads.get(scriptPath);
    if (pending === undefined) {
      throw new Error(`define() was called by a script the test host did not load: '${scriptPath}'`);
    }
    pendingLoads.delete(scriptPath);

    try {
      const { dependencies, factory } = splitDefineArguments(args);
      const values = dependencies.map((name) => resolveDependency(registry, name));
      pending.resolve(typeof factory === 'function' ? (factory as AmdFactory)(...values) : factory);
    } catch (error) {
      pending.reject(error instanceof Error ? error : new Error(String(error)));
    }
  }) as AmdDefine;

  define.amd = {};
  window.define = define;
}

/** Loads an AMD module with a script tag and resolves to the value its factory returns. */
export function loadAmdModule(path: string): Promise<unknown> {
  return new Promise((resolve, reject) => {
    pendingLoads.set(path, { resolve, reject });

    const script = document.createElement('script');
    script.src = path;
    script.onerror = () => {
      pendingLoads.delete(path);
      reject(new Error(`loading the plugin module '${path}' failed; is dist/ built?`));
    };
    script.onload = () => {
      if (pendingLoads.delete(path)) {
        reject(new Error(`the script '${path}' loaded but never called define()`));
      }
    };
    document.head.appendChild(script);
  });
}
