import { describe, expect, it } from 'vitest';
import { childEnvironment, DEFAULT_PATH } from '../../src/runtime/child-environment.js';

const rootEnvironment: NodeJS.ProcessEnv = {
  PATH: '/usr/local/bin:/usr/bin:/bin',
  LANG: 'C.UTF-8',
  LC_ALL: 'C.UTF-8',
  TZ: 'UTC',
  JAVA_HOME: '/usr/lib/jvm/java-17',
  HOME: '/root',
  USER: 'root',
  SUDO_USER: 'alice',
  SSH_AUTH_SOCK: '/tmp/ssh-agent.sock',
  TRIBUTARY_ES_PASSWORD: 'hunter2',
  TRIBUTARY_SINK_ES_PASSWORD: 'hunter3',
  AWS_ACCESS_KEY_ID: 'AKIA…',
  AWS_SECRET_ACCESS_KEY: 'secret',
  GITHUB_TOKEN: 'ghp_…',
  NODE_OPTIONS: '--require /root/hook.js',
  LD_PRELOAD: '/root/evil.so',
  JAVA_TOOL_OPTIONS: '-javaagent:/root/agent.jar',
  ES_JAVA_OPTS: '-Xmx31g',
  KAFKA_HEAP_OPTS: '-Xmx8g',
};

const serverVariables = {
  ES_JAVA_HOME: '/usr/lib/jvm/java-17',
  ES_PATH_CONF: '/data/elasticsearch/config',
  ES_TMPDIR: '/data/elasticsearch/tmp',
  ES_JAVA_OPTS: '-Xms1g -Xmx1g -Dtributary.devstack=elasticsearch',
  HOME: '/data/elasticsearch',
};

describe('childEnvironment', () => {
  it('gives an unprivileged server only PATH, locale, time zone, JAVA_HOME and what it needs', () => {
    expect(
      childEnvironment({ inherited: rootEnvironment, unprivileged: true, set: serverVariables }),
    ).toEqual({
      PATH: '/usr/local/bin:/usr/bin:/bin',
      LANG: 'C.UTF-8',
      LC_ALL: 'C.UTF-8',
      TZ: 'UTC',
      JAVA_HOME: '/usr/lib/jvm/java-17',
      ...serverVariables,
    });
  });

  it('never passes secrets, credentials, agents or root-only variables to an unprivileged server', () => {
    const env = childEnvironment({
      inherited: rootEnvironment,
      unprivileged: true,
      set: { HOME: '/srv/kafka' },
    });
    for (const name of [
      'TRIBUTARY_ES_PASSWORD',
      'TRIBUTARY_SINK_ES_PASSWORD',
      'AWS_ACCESS_KEY_ID',
      'AWS_SECRET_ACCESS_KEY',
      'GITHUB_TOKEN',
      'SSH_AUTH_SOCK',
      'SUDO_USER',
      'USER',
      'NODE_OPTIONS',
      'LD_PRELOAD',
      'JAVA_TOOL_OPTIONS',
      'ES_JAVA_OPTS',
      'KAFKA_HEAP_OPTS',
    ]) {
      expect(env, name).not.toHaveProperty(name);
    }
    expect(env['HOME']).toBe('/srv/kafka');
  });

  it('gives a default PATH when ours has none', () => {
    expect(childEnvironment({ inherited: {}, unprivileged: true, set: {} })).toEqual({ PATH: DEFAULT_PATH });
    expect(childEnvironment({ inherited: { PATH: '' }, unprivileged: true, set: {} })).toEqual({
      PATH: DEFAULT_PATH,
    });
  });

  it('passes our whole environment to a server run as ourselves, except JAVA_TOOL_OPTIONS', () => {
    const env = childEnvironment({ inherited: rootEnvironment, unprivileged: false, set: serverVariables });
    const { JAVA_TOOL_OPTIONS: _removed, ...rest } = rootEnvironment;
    expect(env).toEqual({ ...rest, ...serverVariables });
  });

  it('lets the server variables win over inherited ones', () => {
    expect(
      childEnvironment({
        inherited: { PATH: '/bin', HOME: '/root' },
        unprivileged: false,
        set: { HOME: '/d' },
      }),
    ).toEqual({ PATH: '/bin', HOME: '/d' });
  });
});
