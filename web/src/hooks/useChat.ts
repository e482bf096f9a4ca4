import { useCallback, useEffect, useRef, useState } from 'react';
import { api } from '../api/client';
import type { ChatMessage } from '../api/types';

const CONVERSATION_KEY = 'todo.conversation';

/** One conversation with the assistant, remembered across reloads. */
export function useChat(onReply: () => void) {
  const restoredId = useRef(localStorage.getItem(CONVERSATION_KEY));
  const [conversationId, setConversationId] = useState<string | null>(restoredId.current);
  const [messages, setMessages] = useState<ChatMessage[]>([]);
  const [sending, setSending] = useState(false);
  const [loadingHistory, setLoadingHistory] = useState(false);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    const id = restoredId.current;
    if (!id) return;
    let cancelled = false;
    setLoadingHistory(true);
    api
      .conversation(id)
      .then(
        (answer) => !cancelled && setMessages(answer.messages ?? answer.items ?? []),
        () => {
          if (cancelled) return;
          localStorage.removeItem(CONVERSATION_KEY);
          setConversationId(null);
        },
      )
      .finally(() => !cancelled && setLoadingHistory(false));
    return () => {
      cancelled = true;
    };
  }, []);

  const send = useCallback(
    async (text: string) => {
      setError(null);
      setSending(true);
      setMessages((current) => [...current, { role: 'user', content: text }]);
      try {
        const answer = await api.chat(text, conversationId ?? undefined);
        setConversationId(answer.conversation_id);
        localStorage.setItem(CONVERSATION_KEY, answer.conversation_id);
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
    [conversationId, onReply],
  );

  const startOver = useCallback(() => {
    localStorage.removeItem(CONVERSATION_KEY);
    setConversationId(null);
    setMessages([]);
    setError(null);
  }, []);

  return { messages, sending, loadingHistory, error, send, startOver };
}
