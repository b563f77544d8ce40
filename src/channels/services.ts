import type { Config } from '../config.js';
import type { ChannelFeedDeps } from './feeds.js';
import type { ChannelPublishDeps } from './messages.js';
import type { PatternRouter } from './pattern-router.js';

/** What the channels' resolvers use of the process: their part of `Services`, wired by app.ts. */
export interface ChannelsServices extends ChannelFeedDeps, ChannelPublishDeps {
  /** `channelPattern` subscriptions, with their per-user caps (checked before the policy's proof). */
  patterns: Pick<PatternRouter, 'subscribe' | 'checkRoom'>;
  config: Pick<Config, 'pubsubMode' | 'maxMessageBytes' | 'maxPatternWildcards'>;
}

/** The channels' services of a request: resolvers reach nothing else. */
export const channelsOf = (context: { services: ChannelsServices }): ChannelsServices => context.services;
