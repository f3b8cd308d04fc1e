// React access to the transport the app started with.

import { createContext, useContext } from 'react';
import type { AppClient } from '../transport/types';

export const ClientContext = createContext<AppClient | null>(null);

export function useClient(): AppClient {
  const c = useContext(ClientContext);
  if (c === null) throw new Error('useClient outside <ClientContext.Provider>');
  return c;
}
