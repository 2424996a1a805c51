/**
 * Rewrites Elasticsearch's `config/jvm.options` so every path in it is absolute. The distribution's relative
 * `logs/gc.log`, `HeapDumpPath=data` and `ErrorFile=logs/…` resolve against the working directory, which is not
 * writable by the user ES runs as.
 */
export function rewriteJvmOptions(text: string, paths: { logsDir: string; dataDir: string }): string {
  return text
    .split('\n')
    .map((line) => {
      if (line.startsWith('#')) return line;
      if (/-XX:HeapDumpPath=/.test(line))
        return line.replace(/-XX:HeapDumpPath=.*$/, `-XX:HeapDumpPath=${paths.dataDir}`);
      if (/-XX:ErrorFile=/.test(line))
        return line.replace(/-XX:ErrorFile=.*$/, `-XX:ErrorFile=${paths.logsDir}/hs_err_pid%p.log`);
      if (/-Xlog:gc.*file=/.test(line)) return line.replace(/file=[^:]+/, `file=${paths.logsDir}/gc.log`);
      return line;
    })
    .join('\n');
}
