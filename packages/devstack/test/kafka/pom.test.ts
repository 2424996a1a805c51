import { describe, expect, it } from 'vitest';
import { kafkaPom } from '../../src/kafka/pom.js';

describe('kafkaPom', () => {
  it('depends on the server, the tools and a log binding at the version', () => {
    const pom = kafkaPom('3.9.1');
    expect(pom).toContain('<artifactId>kafka_2.13</artifactId><version>3.9.1</version>');
    expect(pom).toContain('<artifactId>kafka-tools</artifactId><version>3.9.1</version>');
    expect(pom).toContain('<artifactId>slf4j-reload4j</artifactId>');
    expect(pom).toContain('<packaging>pom</packaging>');
  });
});
