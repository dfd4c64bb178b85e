import { createContext, useContext } from 'react';

const ColourContext = createContext(true);

/** NO_COLOR: the console is fully usable without colour (symbols, bold, inverse and borders carry meaning). */
export const ColourProvider = ColourContext.Provider;

/** Returns the colour to use, or undefined when colour is off. */
export function useColour(): (name: string) => string | undefined {
  const on = useContext(ColourContext);
  return (name) => (on ? name : undefined);
}
