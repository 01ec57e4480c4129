import type { ApolloServerPlugin } from '@apollo/server';
import type { Context } from '../graphql/context.js';

/** A mutation held for a second admin answers as usual, and says so: `extensions.pendingChanges` of the response. */
export const pendingChangeNotice: ApolloServerPlugin<Context> = {
  async requestDidStart() {
    return {
      async willSendResponse({ response, contextValue }) {
        if (!contextValue.pendingChanges?.length || response.body.kind !== 'single') return;
        const single = response.body.singleResult;
        single.extensions = { ...single.extensions, pendingChanges: contextValue.pendingChanges };
      },
    };
  },
};
