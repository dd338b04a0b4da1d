/**
 * Colours, or none at all: NO_COLOR (any non-empty value, see no-color.org) turns every colour off,
 * including the SQL highlighting. Bold and inverse are attributes, not colours, and stay.
 */
export interface Theme {
  color: boolean;
}

export type ColorName = 'green' | 'red' | 'yellow' | 'cyan' | 'blue' | 'magenta' | 'gray' | 'white';

export function themeFromEnv(env: NodeJS.ProcessEnv): Theme {
  const noColor = env.NO_COLOR;
  return { color: noColor === undefined || noColor === '' };
}

/** A colour for an Ink <Text color>, or undefined when colours are off. */
export function fg(theme: Theme, color: ColorName): ColorName | undefined {
  return theme.color ? color : undefined;
}
