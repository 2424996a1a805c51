package org.tributary.bench.peers;

/**
 * The three fields of a ClickstreamEvent the clickstream job reads (packages/schema/proto: page_url = 2,
 * timestamp = 3, event_type = 4). A POJO, so Flink serializes it without Kryo.
 */
public class PageEvent {
  public String pageUrl;
  /** Event time, epoch milliseconds. */
  public long timestamp;
  /** "CLICK" or "VIEW"; any other type is not counted. */
  public String eventType;

  public PageEvent() {}

  public PageEvent(String pageUrl, long timestamp, String eventType) {
    this.pageUrl = pageUrl;
    this.timestamp = timestamp;
    this.eventType = eventType;
  }

  public boolean isClick() {
    return "CLICK".equals(eventType);
  }

  public boolean isView() {
    return "VIEW".equals(eventType);
  }
}
