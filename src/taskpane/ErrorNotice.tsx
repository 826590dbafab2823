/** A failure the user must see (reading the item, following the selection). */
import { MessageBar, MessageBarBody, MessageBarTitle } from '@fluentui/react-components';

export function ErrorNotice({ message }: { readonly message: string }) {
  return (
    <MessageBar intent="error">
      <MessageBarBody>
        <MessageBarTitle>Could not read this email</MessageBarTitle>
        {message}
      </MessageBarBody>
    </MessageBar>
  );
}
