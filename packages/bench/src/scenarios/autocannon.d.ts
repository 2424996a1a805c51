// autocannon 8 ships no type declarations; the part of its API the bench uses.
declare module 'autocannon' {
  interface AutocannonRequest {
    method?: string;
    path?: string;
    headers?: Record<string, string>;
    body?: string | Buffer;
  }
  interface AutocannonOptions {
    url: string;
    connections?: number;
    duration?: number;
    overallRate?: number;
    ignoreCoordinatedOmission?: boolean;
    method?: string;
    headers?: Record<string, string>;
    body?: string | Buffer;
    requests?: AutocannonRequest[];
    timeout?: number;
    pipelining?: number;
    workers?: number;
  }
  function autocannon(options: AutocannonOptions): Promise<Record<string, unknown>>;
  export default autocannon;
}
