package org.tributary.bench.peers;

/** Clicks and views of one page in one window: the aggregate of both peers. A POJO for Flink. */
public class ClickViewCounts {
  public long clicks;
  public long views;

  public ClickViewCounts() {}

  public ClickViewCounts(long clicks, long views) {
    this.clicks = clicks;
    this.views = views;
  }

  /** Counts one event (a type other than CLICK or VIEW changes nothing). */
  public ClickViewCounts add(PageEvent event) {
    if (event.isClick()) clicks++;
    else if (event.isView()) views++;
    return this;
  }

  public ClickViewCounts merge(ClickViewCounts other) {
    clicks += other.clicks;
    views += other.views;
    return this;
  }
}
