import { describe, expect, it } from 'vitest';
import { rewriteJvmOptions } from '../../src/elasticsearch/jvm-options.js';

const DISTRIBUTION = `## JVM configuration
-XX:+UseG1GC
-Djava.io.tmpdir=\${ES_TMPDIR}
-XX:+HeapDumpOnOutOfMemoryError
-XX:HeapDumpPath=data
-XX:ErrorFile=logs/hs_err_pid%p.log
## -Xlog:gc*:file=logs/commented.log
-Xlog:gc*,gc+age=trace,safepoint:file=logs/gc.log:utctime,level,pid,tags:filecount=32,filesize=64m`;

describe('rewriteJvmOptions', () => {
  const out = rewriteJvmOptions(DISTRIBUTION, { logsDir: '/d/es/logs', dataDir: '/d/es/data' });

  it('makes every path absolute', () => {
    expect(out).toContain('-XX:HeapDumpPath=/d/es/data');
    expect(out).toContain('-XX:ErrorFile=/d/es/logs/hs_err_pid%p.log');
    expect(out).toContain(
      '-Xlog:gc*,gc+age=trace,safepoint:file=/d/es/logs/gc.log:utctime,level,pid,tags:filecount=32,filesize=64m',
    );
  });

  it('leaves comments and other lines alone', () => {
    expect(out).toContain('## -Xlog:gc*:file=logs/commented.log');
    expect(out).toContain('-Djava.io.tmpdir=${ES_TMPDIR}');
    expect(out.split('\n')).toHaveLength(DISTRIBUTION.split('\n').length);
  });
});
