import React from 'react';
import { Box, Text } from 'ink';
import SelectInput from 'ink-select-input';
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
 * A menu of choices (ink-select-input): ↑/↓ or j/k, enter, or the item's number. It reads those keys
 * itself; the app's input router leaves them alone while a menu is open and handles only esc/ctrl-c.
 */
export function ChoiceMenu<V extends string>({ items, onSelect, onHighlight, theme, width }: ChoiceMenuProps<V>) {
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
      items={items.map((it, i) => ({ key: it.value, label: menuItemLines(i, it.label, width).join('\n'), value: it.value }))}
      onSelect={(item) => onSelect(item.value)}
      onHighlight={onHighlight ? (item) => onHighlight(item.value) : undefined}
      indicatorComponent={Indicator}
      itemComponent={Item}
    />
  );
}
