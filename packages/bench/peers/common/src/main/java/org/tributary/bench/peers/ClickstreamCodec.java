package org.tributary.bench.peers;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.WireFormat;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The wire contract of packages/schema/proto/tributary/clickstream/v1: a ClickstreamEvent in (only the fields the
 * job reads are decoded, the others skipped), a WindowResult out, as proto3 with protobuf-java's coded streams.
 */
public final class ClickstreamCodec {
  private static final int EVENT_PAGE_URL = 2;
  private static final int EVENT_TIMESTAMP = 3;
  private static final int EVENT_TYPE = 4;

  private static final int RESULT_PAGE_URL = 1;
  private static final int RESULT_WINDOW_START = 2;
  private static final int RESULT_WINDOW_END = 3;
  private static final int RESULT_CLICK_COUNT = 4;
  private static final int RESULT_VIEW_COUNT = 5;
  private static final int RESULT_IS_FINAL = 6;
  private static final int RESULT_VERSION = 7;

  private ClickstreamCodec() {}

  /** Decodes page_url, timestamp and event_type of a ClickstreamEvent; fails on bytes that are not one. */
  public static PageEvent decodeEvent(byte[] bytes) throws InvalidProtocolBufferException {
    CodedInputStream in = CodedInputStream.newInstance(bytes);
    PageEvent event = new PageEvent("", 0L, "");
    try {
      for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
        int field = WireFormat.getTagFieldNumber(tag);
        int wireType = WireFormat.getTagWireType(tag);
        if (field == EVENT_PAGE_URL && wireType == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
          event.pageUrl = in.readStringRequireUtf8();
        } else if (field == EVENT_TIMESTAMP && wireType == WireFormat.WIRETYPE_VARINT) {
          event.timestamp = in.readInt64();
        } else if (field == EVENT_TYPE && wireType == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
          event.eventType = in.readStringRequireUtf8();
        } else if (!in.skipField(tag)) {
          break;
        }
      }
    } catch (InvalidProtocolBufferException e) {
      throw e;
    } catch (IOException e) {
      throw new InvalidProtocolBufferException(e);
    }
    return event;
  }

  /** The same three fields as a ClickstreamEvent (Kafka Streams' repartition topic carries these). */
  public static byte[] encodeEvent(PageEvent event) {
    return write(
        CodedOutputStream.computeStringSize(EVENT_PAGE_URL, event.pageUrl)
            + CodedOutputStream.computeInt64Size(EVENT_TIMESTAMP, event.timestamp)
            + CodedOutputStream.computeStringSize(EVENT_TYPE, event.eventType),
        out -> {
          out.writeString(EVENT_PAGE_URL, event.pageUrl);
          out.writeInt64(EVENT_TIMESTAMP, event.timestamp);
          out.writeString(EVENT_TYPE, event.eventType);
        });
  }

  /** A final WindowResult (is_final true, version 1: each peer emits a window once, when it closes). */
  public static byte[] encodeWindowResult(
      String pageUrl, long windowStart, long windowEnd, ClickViewCounts counts) {
    return write(
        CodedOutputStream.computeStringSize(RESULT_PAGE_URL, pageUrl)
            + CodedOutputStream.computeInt64Size(RESULT_WINDOW_START, windowStart)
            + CodedOutputStream.computeInt64Size(RESULT_WINDOW_END, windowEnd)
            + CodedOutputStream.computeInt64Size(RESULT_CLICK_COUNT, counts.clicks)
            + CodedOutputStream.computeInt64Size(RESULT_VIEW_COUNT, counts.views)
            + CodedOutputStream.computeBoolSize(RESULT_IS_FINAL, true)
            + CodedOutputStream.computeInt64Size(RESULT_VERSION, 1L),
        out -> {
          out.writeString(RESULT_PAGE_URL, pageUrl);
          out.writeInt64(RESULT_WINDOW_START, windowStart);
          out.writeInt64(RESULT_WINDOW_END, windowEnd);
          out.writeInt64(RESULT_CLICK_COUNT, counts.clicks);
          out.writeInt64(RESULT_VIEW_COUNT, counts.views);
          out.writeBool(RESULT_IS_FINAL, true);
          out.writeInt64(RESULT_VERSION, 1L);
        });
  }

  /** Two fixed64 fields, clicks then views: the state of Kafka Streams' window store. */
  public static byte[] encodeCounts(ClickViewCounts counts) {
    return write(
        2 * CodedOutputStream.computeFixed64SizeNoTag(0L),
        out -> {
          out.writeFixed64NoTag(counts.clicks);
          out.writeFixed64NoTag(counts.views);
        });
  }

  public static ClickViewCounts decodeCounts(byte[] bytes) throws IOException {
    CodedInputStream in = CodedInputStream.newInstance(bytes);
    return new ClickViewCounts(in.readFixed64(), in.readFixed64());
  }

  private interface Writer {
    void write(CodedOutputStream out) throws IOException;
  }

  private static byte[] write(int size, Writer writer) {
    byte[] bytes = new byte[size];
    CodedOutputStream out = CodedOutputStream.newInstance(bytes);
    try {
      writer.write(out);
      out.checkNoSpaceLeft();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes;
  }
}
