/** The generated static message classes, re-exported under short names for the codecs (internal). */
import { tributary } from './generated/clickstream.js';

export const ClickstreamEventMessage = tributary.clickstream.v1.ClickstreamEvent;
export const WindowResultMessage = tributary.clickstream.v1.WindowResult;

/** Fully-qualified proto names. */
export const CLICKSTREAM_EVENT_TYPE_NAME = 'tributary.clickstream.v1.ClickstreamEvent';
export const WINDOW_RESULT_TYPE_NAME = 'tributary.clickstream.v1.WindowResult';
