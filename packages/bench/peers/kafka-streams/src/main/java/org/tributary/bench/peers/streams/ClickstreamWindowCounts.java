package org.tributary.bench.peers.streams;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.LogAndContinueExceptionHandler;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Suppressed;
import org.apache.kafka.streams.kstream.TimeWindows;
import org.apache.kafka.streams.processor.TimestampExtractor;
import org.tributary.bench.peers.ClickViewCounts;
import org.tributary.bench.peers.ClickstreamCodec;
import org.tributary.bench.peers.PageEvent;
import org.tributary.bench.peers.PeerArgs;

/**
 * Clicks and views per page_url in tumbling event-time windows, exactly-once, in Kafka Streams: events keyed by
 * user_id are regrouped by page (a repartition topic), counted in windows whose grace is the out-of-orderness bound
 * B, and each window's result is emitted once, when stream time passes window end + B (suppress).
 *
 * <p>Flags: --brokers --input-topic --output-topic --application-id --window-size-ms --out-of-orderness-ms
 * --commit-interval-ms --threads --state-dir. Prints "kafka-streams running" once the instance is RUNNING.
 */
public final class ClickstreamWindowCounts {
  private ClickstreamWindowCounts() {}

  static final Serde<PageEvent> PAGE_EVENT =
      Serdes.serdeFrom(
          (topic, event) -> ClickstreamCodec.encodeEvent(event),
          (topic, bytes) -> {
            try {
              return ClickstreamCodec.decodeEvent(bytes);
            } catch (IOException e) {
              throw new SerializationException("not a ClickstreamEvent", e);
            }
          });

  static final Serde<ClickViewCounts> COUNTS =
      Serdes.serdeFrom(
          (topic, counts) -> ClickstreamCodec.encodeCounts(counts),
          (topic, bytes) -> {
            try {
              return ClickstreamCodec.decodeCounts(bytes);
            } catch (IOException e) {
              throw new UncheckedIOException(e);
            }
          });

  /** Event time is the event's own timestamp field, not the record's. */
  static final class EventTime implements TimestampExtractor {
    @Override
    public long extract(ConsumerRecord<Object, Object> record, long partitionTime) {
      return ((PageEvent) record.value()).timestamp;
    }
  }

  static Topology topology(String inputTopic, String outputTopic, Duration windowSize, Duration bound) {
    StreamsBuilder builder = new StreamsBuilder();
    builder.stream(
            inputTopic,
            Consumed.with(Serdes.String(), PAGE_EVENT).withTimestampExtractor(new EventTime()))
        .filter((userId, event) -> event.isClick() || event.isView())
        .groupBy((userId, event) -> event.pageUrl, Grouped.with("by-page", Serdes.String(), PAGE_EVENT))
        .windowedBy(TimeWindows.ofSizeAndGrace(windowSize, bound))
        .aggregate(
            ClickViewCounts::new,
            (page, event, counts) -> counts.add(event),
            Materialized.with(Serdes.String(), COUNTS))
        .suppress(Suppressed.untilWindowCloses(Suppressed.BufferConfig.unbounded()))
        .toStream()
        .map(
            (window, counts) ->
                KeyValue.pair(
                    window.key(),
                    ClickstreamCodec.encodeWindowResult(
                        window.key(), window.window().start(), window.window().end(), counts)))
        .to(outputTopic, Produced.with(Serdes.String(), Serdes.ByteArray()));
    return builder.build();
  }

  public static void main(String[] argv) throws InterruptedException {
    PeerArgs args = new PeerArgs(argv);
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, args.string("application-id"));
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, args.string("brokers"));
    props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
    props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, args.millis("commit-interval-ms"));
    props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, args.positiveInt("threads"));
    props.put(StreamsConfig.STATE_DIR_CONFIG, args.string("state-dir"));
    props.put(
        StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG,
        LogAndContinueExceptionHandler.class);
    props.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");

    Topology topology =
        topology(
            args.string("input-topic"),
            args.string("output-topic"),
            Duration.ofMillis(args.millis("window-size-ms")),
            Duration.ofMillis(args.millis("out-of-orderness-ms")));
    KafkaStreams streams = new KafkaStreams(topology, props);
    CountDownLatch stopped = new CountDownLatch(1);
    AtomicBoolean announced = new AtomicBoolean();
    AtomicInteger exitCode = new AtomicInteger();
    streams.setStateListener(
        (now, before) -> {
          if (now == KafkaStreams.State.RUNNING && announced.compareAndSet(false, true)) {
            System.out.println("kafka-streams running");
            System.out.flush();
          }
          if (now == KafkaStreams.State.ERROR) exitCode.set(1);
          if (now == KafkaStreams.State.ERROR || now == KafkaStreams.State.NOT_RUNNING) stopped.countDown();
        });
    streams.setUncaughtExceptionHandler(
        error -> {
          error.printStackTrace();
          return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        });
    Runtime.getRuntime()
        .addShutdownHook(new Thread(() -> streams.close(Duration.ofSeconds(20)), "streams-shutdown"));
    streams.start();
    stopped.await();
    System.exit(exitCode.get());
  }
}
