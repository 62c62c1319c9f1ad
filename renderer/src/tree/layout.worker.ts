/**
 * Layout off the main thread: d3's tree() on 20k nodes costs ~10 ms and 50k ~40–80 ms here, which
 * would drop frames if it ran beside the drawing. Positions go back as transferred typed arrays.
 */
import { computeLayout } from './computeLayout';
import type { LayoutReply, LayoutRequest } from './layoutProtocol';

const scope = self as unknown as DedicatedWorkerGlobalScope;

scope.onmessage = (event: MessageEvent<LayoutRequest>) => {
  const { id, parent } = event.data;
  let reply: LayoutReply;
  try {
    reply = { type: 'layout', id, result: computeLayout(id, parent) };
  } catch (error) {
    reply = { type: 'error', id, message: error instanceof Error ? error.message : String(error) };
  }
  if (reply.type === 'layout') scope.postMessage(reply, [reply.result.x.buffer, reply.result.y.buffer]);
  else scope.postMessage(reply);
};
