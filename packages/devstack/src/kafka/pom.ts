/** Maven coordinates of a Kafka server plus its tools (ProducerPerformance, ConsumerPerformance) and a log binding. */
export function kafkaPom(version: string, scalaVersion = '2.13'): string {
  const dependency = (group: string, artifact: string, v: string): string =>
    `    <dependency><groupId>${group}</groupId><artifactId>${artifact}</artifactId><version>${v}</version></dependency>`;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<project xmlns="http://maven.apache.org/POM/4.0.0">',
    '  <modelVersion>4.0.0</modelVersion>',
    '  <groupId>dev.tributary</groupId>',
    `  <artifactId>devstack-kafka</artifactId>`,
    `  <version>${version}</version>`,
    '  <packaging>pom</packaging>',
    '  <dependencies>',
    dependency('org.apache.kafka', `kafka_${scalaVersion}`, version),
    dependency('org.apache.kafka', 'kafka-tools', version),
    dependency('org.slf4j', 'slf4j-reload4j', '1.7.36'),
    '  </dependencies>',
    '</project>',
    '',
  ].join('\n');
}
