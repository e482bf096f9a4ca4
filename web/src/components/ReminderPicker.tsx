import { REMINDER_PRESETS, reminderLabel, sameOffset } from '../lib/reminders';

interface ReminderPickerProps {
  reminders: string[];
  disabled: boolean;
  onChange: (reminders: string[]) => void;
}

export function ReminderPicker({ reminders, disabled, onChange }: ReminderPickerProps) {
  const others = reminders.filter(
    (reminder) => !REMINDER_PRESETS.some((preset) => sameOffset(preset.value, reminder)),
  );
  const toggle = (value: string, on: boolean) =>
    onChange(on ? [...reminders, value] : reminders.filter((reminder) => !sameOffset(reminder, value)));

  return (
    <fieldset className="reminders" disabled={disabled}>
      <legend>Reminders{disabled ? ' (set a due date first)' : ''}</legend>
      <div className="choice-row">
        {REMINDER_PRESETS.map((preset) => (
          <label key={preset.value} className="choice">
            <input
              type="checkbox"
              checked={reminders.some((reminder) => sameOffset(reminder, preset.value))}
              onChange={(event) => toggle(preset.value, event.target.checked)}
            />
            {preset.label}
          </label>
        ))}
        {others.map((reminder) => (
          <label key={reminder} className="choice">
            <input type="checkbox" checked onChange={() => toggle(reminder, false)} />
            {reminderLabel(reminder)}
          </label>
        ))}
      </div>
    </fieldset>
  );
}
