import { type KeyboardEvent, useId, useState } from 'react';
import type { TagCount } from '../api/types';

interface TagInputProps {
  tags: string[];
  suggestions: TagCount[];
  onChange: (tags: string[]) => void;
}

const normalize = (tag: string) => tag.trim().replace(/^#/, '').toLowerCase();

export function TagInput({ tags, suggestions, onChange }: TagInputProps) {
  const [text, setText] = useState('');
  const listId = useId();
  const inputId = useId();

  const add = (raw: string) => {
    const tag = normalize(raw);
    if (tag && !tags.includes(tag)) onChange([...tags, tag]);
    setText('');
  };

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'Enter' || event.key === ',') {
      event.preventDefault();
      add(text);
    } else if (event.key === 'Backspace' && text === '' && tags.length > 0) {
      onChange(tags.slice(0, -1));
    }
  };

  return (
    <div className="field">
      <label htmlFor={inputId}>Tags</label>
      <div className="tag-input">
        {tags.map((tag) => (
          <span key={tag} className="tag chip">
            #{tag}
            <button
              type="button"
              className="chip-remove"
              aria-label={`Remove tag ${tag}`}
              onClick={() => onChange(tags.filter((other) => other !== tag))}
            >
              ×
            </button>
          </span>
        ))}
        <input
          id={inputId}
          list={listId}
          value={text}
          placeholder={tags.length ? '' : 'work, home…'}
          onChange={(event) => {
            const value = event.target.value;
            // Picking a suggestion from the list fills the input with a whole known tag.
            if (suggestions.some((suggestion) => suggestion.tag === value)) add(value);
            else setText(value);
          }}
          onKeyDown={onKeyDown}
          onBlur={() => text && add(text)}
        />
        <datalist id={listId}>
          {suggestions
            .filter((suggestion) => !tags.includes(suggestion.tag))
            .map((suggestion) => (
              <option key={suggestion.tag} value={suggestion.tag} />
            ))}
        </datalist>
      </div>
    </div>
  );
}
