/** Whether the add-in has a CRM to talk to. Until the CRM connection lands, it honestly has none. */
import { MessageBar, MessageBarBody, MessageBarTitle } from '@fluentui/react-components';

export function ConnectionStatus({ connected }: { readonly connected: boolean }) {
  if (connected) {
    return (
      <MessageBar intent="success">
        <MessageBarBody>
          <MessageBarTitle>Connected to the CRM</MessageBarTitle>
        </MessageBarBody>
      </MessageBar>
    );
  }
  return (
    <MessageBar intent="warning">
      <MessageBarBody>
        <MessageBarTitle>Not connected to a CRM</MessageBarTitle>
        Emails cannot be tracked yet: no CRM connection is configured.
      </MessageBarBody>
    </MessageBar>
  );
}
