import { useCallback, useEffect, useRef, useState } from 'react';
import { api } from '../api/client';
import type { ChatMessage, ConversationSummary } from '../api/types';

const CONVERSATION_KEY = 'todo.conversation';

/** Conversations with the assistant; the open one is remembered across reloads. */
export function useChat(onReply: () => void) {
  const restoredId = useRef(localStorage.getItem(CONVERSATION_KEY));
  const [conversationId, setConversationId] = useState<string | null>(null);
  const [conversations, setConversations] = useState<ConversationSummary[]>([]);
  const [messages, setMessages] = useState<ChatMessage[]>([]);
  const [sending, setSending] = useState(false);
  const [loadingHistory, setLoadingHistory] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const openRequest = useRef(0);

  const remember = useCallback((id: string | null) => {
    setConversationId(id);
    if (id) localStorage.setItem(CONVERSATION_KEY, id);
    else localStorage.removeItem(CONVERSATION_KEY);
  }, []);

  const loadConversations = useCallback(() => {
    api.conversations().then(
      (page) => setConversations(page.items),
      () => setConversations([]),
    );
  }, []);

  const startOver = useCallback(() => {
    openRequest.current++;
    remember(null);
    setMessages([]);
    setError(null);
  }, [remember]);

  const open = useCallback(
    async (id: string) => {
      const request = ++openRequest.current;
      remember(id);
      setMessages([]);
      setError(null);
      setLoadingHistory(true);
      try {
        const conversation = await api.conversation(id);
        if (request === openRequest.current) setMessages(conversation.messages);
      } catch (failure) {
        if (request !== openRequest.current) return;
        remember(null);
        setError(`Could not open the conversation: ${(failure as Error).message}`);
      } finally {
        if (request === openRequest.current) setLoadingHistory(false);
      }
    },
    [remember],
  );

  useEffect(() => {
    loadConversations();
    if (restoredId.current) void open(restoredId.current);
  }, [loadConversations, open]);

  const send = useCallback(
    async (text: string) => {
      setError(null);
      setSending(true);
      setMessages((current) => [...current, { role: 'user', content: text }]);
      try {
        const answer = await api.chat(text, conversationId ?? undefined);
        if (answer.conversation_id !== conversationId) loadConversations();
        remember(answer.conversation_id);
        setMessages((current) => [
          ...current,
          { role: 'assistant', content: answer.reply, actions: answer.actions },
        ]);
        onReply();
      } catch (failure) {
        setError((failure as Error).message);
      } finally {
        setSending(false);
      }
    },
    [conversationId, onReply, loadConversations, remember],
  );

  const remove = useCallback(async () => {
    if (!conversationId) return;
    try {
      await api.deleteConversation(conversationId);
      startOver();
      loadConversations();
    } catch (failure) {
      setError((failure as Error).message);
    }
  }, [conversationId, startOver, loadConversations]);

  return {
    conversationId,
    conversations,
    messages,
    sending,
    loadingHistory,
    error,
    send,
    open,
    startOver,
    remove,
  };
}
