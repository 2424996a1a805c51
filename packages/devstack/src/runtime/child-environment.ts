/** Variables a server started as another user keeps from ours: how to find programs, the locale and the time zone. */
export const INHERITED_VARIABLES: readonly string[] = ['PATH', 'LANG', 'LANGUAGE', 'TZ', 'JAVA_HOME'];

/** Locale variables (`LC_ALL`, `LC_CTYPE`, …), kept as well. */
const LOCALE_VARIABLE = /^LC_[A-Z]+$/;

/** PATH when ours has none. */
export const DEFAULT_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

/** Never passed to a server: it would run before our own JVM options and may enable agents. */
const ALWAYS_REMOVED: readonly string[] = ['JAVA_TOOL_OPTIONS'];

export interface ChildEnvironmentInput {
  /** Our environment (`process.env`). */
  inherited: NodeJS.ProcessEnv;
  /**
   * True when the server runs as another, unprivileged user (we are root): it then gets only
   * {@link INHERITED_VARIABLES}, the locale and `set` — never our secrets (passwords, cloud credentials, tokens).
   * False: it runs as ourselves and gets our whole environment, as any program we start would.
   */
  unprivileged: boolean;
  /** What the server needs (ES_JAVA_HOME, ES_PATH_CONF, ES_TMPDIR, ES_JAVA_OPTS, HOME …); wins over inherited values. */
  set: Readonly<Record<string, string>>;
}

/** The environment of a server process (or of a tool run for it); pure. */
export function childEnvironment(input: ChildEnvironmentInput): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(input.inherited)) {
    if (value === undefined) continue;
    if (!input.unprivileged || INHERITED_VARIABLES.includes(name) || LOCALE_VARIABLE.test(name))
      env[name] = value;
  }
  if (input.unprivileged && (env['PATH'] === undefined || env['PATH'] === '')) env['PATH'] = DEFAULT_PATH;
  for (const name of ALWAYS_REMOVED) delete env[name];
  return { ...env, ...input.set };
}
