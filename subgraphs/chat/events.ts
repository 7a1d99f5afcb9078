/**
 * Chat's live events on the deployment's pub/sub (lib/pubsub.ts), published after the write commits.
 * Channels are per conversation and per user, so a subscriber only ever receives events it may see:
 * the conversation's channel is opened after a participant check, a user's channels carry that
 * user's conversations only. One kind of event per channel: a subscription needs no filter (a filtering
 * wrapper could not be closed while it waits for the next event, and a closed client must release
 * its channel at once).
 *
 * Payloads are JSON (dates as ISO strings, as they cross Redis); `hydrate*` turn them back into rows.
 */
import type { Logger } from "../../lib/logger.ts";
import type { PubSub } from "../../lib/pubsub.ts";
import type { ChatMessage, Conversation, ConversationMember } from "../../prisma/generated/client.ts";

export const channels = {
  conversationMessages: (conversationId: string) => `chat:conversation:${conversationId}`,
  userMessages: (userId: string) => `chat:user:${userId}:messages`,
  userConversations: (userId: string) => `chat:user:${userId}:conversations`,
};

/** A value as JSON.parse gives it back: dates as ISO strings. */
export type Json<T> = T extends Date ? string : T extends (infer U)[] ? Json<U>[] : T extends object ? { [K in keyof T]: Json<T[K]> } : T;

export interface MessageEvent {
  message: Json<ChatMessage>;
}

/** The state of a conversation after a change: both members' read state, for whichever receives it. */
export interface ConversationEvent {
  conversation: Json<Conversation>;
  members: Json<ConversationMember>[];
  lastMessage?: Json<ChatMessage>;
}

export interface ConversationState {
  conversation: Conversation;
  members: ConversationMember[];
  lastMessage?: ChatMessage;
}

export class ChatEvents {
  constructor(
    private readonly pubsub: PubSub,
    private readonly log: Logger,
  ) {}

  /** A new message: to its conversation's channel and to both participants' own. */
  async messageAdded(conversation: Conversation, message: ChatMessage): Promise<void> {
    const event: MessageEvent = { message: asJson(message) };
    await this.publish([channels.conversationMessages(conversation.id), ...participants(conversation).map(channels.userMessages)], event);
  }

  /** A conversation changed (a message, a read receipt, a block): to both participants. */
  async conversationUpdated(state: ConversationState): Promise<void> {
    const event: ConversationEvent = asJson(state);
    await this.publish(participants(state.conversation).map(channels.userConversations), event);
  }

  conversationMessages(conversationId: string): AsyncIterableIterator<MessageEvent> {
    return this.pubsub.subscribe(channels.conversationMessages(conversationId));
  }

  userMessages(userId: string): AsyncIterableIterator<MessageEvent> {
    return this.pubsub.subscribe(channels.userMessages(userId));
  }

  userConversations(userId: string): AsyncIterableIterator<ConversationEvent> {
    return this.pubsub.subscribe(channels.userConversations(userId));
  }

  /**
   * The write has committed: a pub/sub failure (Redis away) must not turn it into an error the
   * client would retry, sending the message twice. Subscribers miss the event; queries still show it.
   */
  private async publish(names: string[], event: MessageEvent | ConversationEvent): Promise<void> {
    try {
      await Promise.all(names.map((name) => this.pubsub.publish(name, event)));
    } catch (error) {
      this.log.error({ err: error, channels: names }, "chat event not published");
    }
  }
}

/** The type of a value once JSON.stringify has written it: a Date becomes its ISO string. */
const asJson = <T>(value: T) => value as unknown as Json<T>;

function participants(conversation: Conversation): string[] {
  return [conversation.buyerId, conversation.sellerId];
}

export function hydrateMessage(message: Json<ChatMessage>): ChatMessage {
  return { ...message, createdAt: new Date(message.createdAt) };
}

export function hydrateConversationEvent(event: ConversationEvent): ConversationState {
  const { conversation, members, lastMessage } = event;
  return {
    conversation: { ...conversation, lastMessageAt: new Date(conversation.lastMessageAt), createdAt: new Date(conversation.createdAt) },
    members: members.map((m) => ({ ...m, lastMessageAt: new Date(m.lastMessageAt), lastReadAt: m.lastReadAt === null ? null : new Date(m.lastReadAt) })),
    ...(lastMessage ? { lastMessage: hydrateMessage(lastMessage) } : {}),
  };
}
