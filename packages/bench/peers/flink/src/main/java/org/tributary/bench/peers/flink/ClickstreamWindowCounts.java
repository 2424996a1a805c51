package org.tributary.bench.peers.flink;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.AggregateFunction;
import org.apache.flink.api.common.serialization.AbstractDeserializationSchema;
import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.core.execution.CheckpointingMode;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.CheckpointConfig;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.windowing.ProcessWindowFunction;
import org.apache.flink.streaming.api.windowing.assigners.TumblingEventTimeWindows;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.util.Collector;
import org.tributary.bench.peers.ClickViewCounts;
import org.tributary.bench.peers.ClickstreamCodec;
import org.tributary.bench.peers.PageEvent;
import org.tributary.bench.peers.PeerArgs;

/**
 * Clicks and views per page_url in tumbling event-time windows, exactly-once, in Flink's DataStream API: a
 * KafkaSource with bounded-out-of-orderness watermarks (B), keyBy page, event-time tumbling windows with an
 * incremental aggregate, and a KafkaSink with EXACTLY_ONCE, whose transactions commit when a checkpoint completes.
 *
 * <p>Flags: --brokers --input-topic --output-topic --application-id --window-size-ms --out-of-orderness-ms
 * --idle-timeout-ms --checkpoint-interval-ms --min-pause-between-checkpoints-ms --checkpoint-timeout-ms
 * --tolerable-checkpoint-failures --parallelism. Prints "flink running" once the job is RUNNING.
 */
public final class ClickstreamWindowCounts {
  private ClickstreamWindowCounts() {}

  /** ClickstreamEvent bytes → PageEvent; bytes that are not one are skipped (null is not emitted). */
  static final class PageEventSchema extends AbstractDeserializationSchema<PageEvent> {
    @Override
    public PageEvent deserialize(byte[] message) {
      try {
        return ClickstreamCodec.decodeEvent(message);
      } catch (IOException e) {
        return null;
      }
    }
  }

  static final class CountClicksAndViews
      implements AggregateFunction<PageEvent, ClickViewCounts, ClickViewCounts> {
    @Override
    public ClickViewCounts createAccumulator() {
      return new ClickViewCounts();
    }

    @Override
    public ClickViewCounts add(PageEvent event, ClickViewCounts counts) {
      return counts.add(event);
    }

    @Override
    public ClickViewCounts getResult(ClickViewCounts counts) {
      return counts;
    }

    @Override
    public ClickViewCounts merge(ClickViewCounts a, ClickViewCounts b) {
      return a.merge(b);
    }
  }

  /** One page's counts in one window. A POJO for Flink. */
  public static class PageWindowCounts {
    public String pageUrl;
    public long windowStart;
    public long windowEnd;
    public ClickViewCounts counts;
  }

  static final class ToPageWindowCounts
      extends ProcessWindowFunction<ClickViewCounts, PageWindowCounts, String, TimeWindow> {
    @Override
    public void process(
        String pageUrl, Context context, Iterable<ClickViewCounts> counts, Collector<PageWindowCounts> out) {
      PageWindowCounts result = new PageWindowCounts();
      result.pageUrl = pageUrl;
      result.windowStart = context.window().getStart();
      result.windowEnd = context.window().getEnd();
      result.counts = counts.iterator().next();
      out.collect(result);
    }
  }

  /** Key of a result: its page_url (UTF-8). */
  static final class PageUrlKey implements SerializationSchema<PageWindowCounts> {
    @Override
    public byte[] serialize(PageWindowCounts r) {
      return r.pageUrl.getBytes(StandardCharsets.UTF_8);
    }
  }

  /** Value of a result: a WindowResult protobuf. */
  static final class WindowResultValue implements SerializationSchema<PageWindowCounts> {
    @Override
    public byte[] serialize(PageWindowCounts r) {
      return ClickstreamCodec.encodeWindowResult(r.pageUrl, r.windowStart, r.windowEnd, r.counts);
    }
  }

  public static void main(String[] argv) throws Exception {
    PeerArgs args = new PeerArgs(argv);
    String brokers = args.string("brokers");
    String applicationId = args.string("application-id");

    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    env.setParallelism(args.positiveInt("parallelism"));
    env.enableCheckpointing(args.millis("checkpoint-interval-ms"), CheckpointingMode.EXACTLY_ONCE);
    // The seed's job sets these three too (min pause 1 s, timeout 60 s, 3 tolerable failures).
    CheckpointConfig checkpoints = env.getCheckpointConfig();
    checkpoints.setMinPauseBetweenCheckpoints(args.millis("min-pause-between-checkpoints-ms"));
    checkpoints.setCheckpointTimeout(args.millis("checkpoint-timeout-ms"));
    checkpoints.setTolerableCheckpointFailureNumber(args.nonNegativeInt("tolerable-checkpoint-failures"));

    KafkaSource<PageEvent> source =
        KafkaSource.<PageEvent>builder()
            .setBootstrapServers(brokers)
            .setTopics(args.string("input-topic"))
            .setGroupId(applicationId)
            .setStartingOffsets(OffsetsInitializer.earliest())
            .setProperty("isolation.level", "read_committed")
            .setValueOnlyDeserializer(new PageEventSchema())
            .build();
    WatermarkStrategy<PageEvent> eventTime =
        WatermarkStrategy.<PageEvent>forBoundedOutOfOrderness(
                Duration.ofMillis(args.millis("out-of-orderness-ms")))
            .withTimestampAssigner((event, recordTimestamp) -> event.timestamp)
            .withIdleness(Duration.ofMillis(args.millis("idle-timeout-ms")));

    KafkaSink<PageWindowCounts> sink =
        KafkaSink.<PageWindowCounts>builder()
            .setBootstrapServers(brokers)
            .setRecordSerializer(
                KafkaRecordSerializationSchema.<PageWindowCounts>builder()
                    .setTopic(args.string("output-topic"))
                    // Named classes, not lambdas: Flink infers the sink's record type from them.
                    .setKeySerializationSchema(new PageUrlKey())
                    .setValueSerializationSchema(new WindowResultValue())
                    .build())
            .setDeliveryGuarantee(DeliveryGuarantee.EXACTLY_ONCE)
            .setTransactionalIdPrefix(applicationId)
            // Below the broker's transaction.max.timeout.ms (15 min by default); Flink's own default is 1 h.
            .setProperty("transaction.timeout.ms", "600000")
            .build();

    env.fromSource(source, eventTime, "clickstream-events")
        .filter(event -> event.isClick() || event.isView())
        .keyBy(event -> event.pageUrl)
        .window(TumblingEventTimeWindows.of(Duration.ofMillis(args.millis("window-size-ms"))))
        .aggregate(new CountClicksAndViews(), new ToPageWindowCounts())
        .sinkTo(sink);

    JobClient job = env.executeAsync("clickstream-window-counts");
    while (job.getJobStatus().get() != JobStatus.RUNNING) {
      if (job.getJobStatus().get().isGloballyTerminalState()) break;
      Thread.sleep(50);
    }
    System.out.println("flink running");
    System.out.flush();
    job.getJobExecutionResult().get();
  }
}
