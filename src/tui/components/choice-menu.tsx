import React, { useRef, useState } from 'react';
import { Box, Text, useInput } from 'ink';
import SelectInput from 'ink-select-input';
import { splitKeys } from '../split-keys.js';
import { fg, type Theme } from '../theme.js';
import { menuItemLines } from '../menu-lines.js';

export interface Choice<V> {
  label: string;
  value: V;
}

export interface ChoiceMenuProps<V> {
  items: Choice<V>[];
  onSelect: (value: V) => void;
  onHighlight?: (value: V) => void;
  theme: Theme;
  /** Columns the menu has: each item wraps to it, whole (menuRows counts the rows). */
  width: number;
}

/**
 * A menu of choices drawn by ink-select-input: ↑/↓ or j/k, enter, or the item's number. The keys are read
 * here, not by ink-select-input: it takes one read as one key, so `jj` (autorepeat, a busy machine) moved
 * nothing; each key of a read counts here (splitKeys), as everywhere else in the TUI. The app's input
 * router leaves these keys alone while a menu is open.
 */
export function ChoiceMenu<V extends string>({ items, onSelect, onHighlight, theme, width }: ChoiceMenuProps<V>) {
  const [index, setIndex] = useState(0);
  const at = useRef(0); // the keys of one read move from where the previous one left it, before React re-renders
  // Other choices (the guide worked out its case again): back to the first, as ink-select-input does.
  const values = items.map((it) => it.value).join('\u0000');
  const shownFor = useRef(values);
  if (shownFor.current !== values) {
    shownFor.current = values;
    at.current = 0;
    if (index !== 0) setIndex(0);
  }
  useInput((input, key) => {
    for (const k of splitKeys(input, key)) {
      const n = items.length;
      if (n === 0) return;
      if (k.input === 'j' || k.key.downArrow) at.current = (at.current + 1) % n;
      else if (k.input === 'k' || k.key.upArrow) at.current = (at.current - 1 + n) % n;
      else if (/^[1-9]$/.test(k.input) && Number(k.input) <= n) return onSelect(items[Number(k.input) - 1]!.value);
      else if (k.key.return) return onSelect(items[at.current]!.value);
      else continue;
      onHighlight?.(items[at.current]!.value);
    }
    setIndex(at.current);
  });
  const Indicator = ({ isSelected }: { isSelected?: boolean }) => (
    <Box width={2} flexShrink={0}>
      <Text color={isSelected ? fg(theme, 'cyan') : undefined} bold={isSelected}>
        {isSelected ? '❯' : ' '}
      </Text>
    </Box>
  );
  const Item = ({ isSelected, label }: { isSelected?: boolean; label: string }) => (
    <Text color={isSelected ? fg(theme, 'cyan') : undefined} bold={isSelected} inverse={isSelected && !theme.color} wrap="wrap">
      {label}
    </Text>
  );
  return (
    <SelectInput<V>
      // Drawn at the highlight kept here (initialIndex is read when it mounts, hence the key).
      key={index}
      isFocused={false}
      initialIndex={index}
      items={items.map((it, i) => ({ key: it.value, label: menuItemLines(i, it.label, width).join('\n'), value: it.value }))}
      indicatorComponent={Indicator}
      itemComponent={Item}
    />
  );
}
