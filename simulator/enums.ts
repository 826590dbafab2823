/**
 * The enum objects of the `Office` namespace, with the string values the real office.js uses
 * (Outlook's `OutlookEnums.ts` and office.js's `Microsoft.Office.WebExtension` tables). @types/office-js
 * declares them as ambient enums without values, so they are plain objects here, cast once in
 * officeSimulator.ts.
 */

export const AsyncResultStatus = { Succeeded: 'succeeded', Failed: 'failed' } as const;

export const EventType = {
  ActiveViewChanged: 'activeViewChanged',
  AppointmentTimeChanged: 'olkAppointmentTimeChanged',
  AttachmentsChanged: 'olkAttachmentsChanged',
  DialogEventReceived: 'dialogEventReceived',
  DialogMessageReceived: 'dialogMessageReceived',
  DialogParentMessageReceived: 'dialogParentMessageReceived',
  EnhancedLocationsChanged: 'olkEnhancedLocationsChanged',
  InfobarClicked: 'olkInfobarClicked',
  InitializationContextChanged: 'olkInitializationContextChanged',
  ItemChanged: 'olkItemSelectedChanged',
  OfficeThemeChanged: 'officeThemeChanged',
  RecipientsChanged: 'olkRecipientsChanged',
  RecurrenceChanged: 'olkRecurrenceChanged',
  SelectedItemsChanged: 'olkSelectedItemsChanged',
  SensitivityLabelChanged: 'olkSensitivityLabelChanged',
  SettingsChanged: 'settingsChanged',
} as const;

export const CoercionType = {
  Text: 'text',
  Matrix: 'matrix',
  Table: 'table',
  Html: 'html',
  Ooxml: 'ooxml',
  SlideRange: 'slideRange',
  Image: 'image',
  XmlSvg: 'xmlSvg',
} as const;

export const HostType = {
  Word: 'Word',
  Excel: 'Excel',
  PowerPoint: 'PowerPoint',
  Outlook: 'Outlook',
  OneNote: 'OneNote',
  Project: 'Project',
  Access: 'Access',
} as const;

export const PlatformType = {
  PC: 'PC',
  OfficeOnline: 'OfficeOnline',
  Mac: 'Mac',
  iOS: 'iOS',
  Android: 'Android',
  Universal: 'Universal',
} as const;

export type PlatformName = (typeof PlatformType)[keyof typeof PlatformType];

const categoryColors: Record<string, string> = { None: 'None' };
for (let i = 0; i <= 24; i++) categoryColors[`Preset${i}`] = `Preset${i}`;

export const CategoryColor = Object.freeze(categoryColors) as Readonly<Record<string, string>> & {
  readonly None: 'None';
  readonly Preset0: 'Preset0';
};

/** Valid colours for a master category (Outlook's `colorPresets`: None, Preset0 … Preset24). */
export const CATEGORY_COLORS: readonly string[] = Object.values(categoryColors);

export const MailboxEnums = {
  ItemType: { Message: 'message', Appointment: 'appointment' },
  ItemNotificationMessageType: {
    ProgressIndicator: 'progressIndicator',
    InformationalMessage: 'informationalMessage',
    ErrorMessage: 'errorMessage',
    InsightMessage: 'insightMessage',
  },
  ComposeType: { Forward: 'forward', NewMail: 'newMail', Reply: 'reply' },
  RecipientType: {
    Other: 'other',
    DistributionList: 'distributionList',
    User: 'user',
    ExternalUser: 'externalUser',
  },
  RestVersion: { v1_0: 'v1.0', v2_0: 'v2.0', Beta: 'beta' },
  BodyType: { Text: 'text', Html: 'html' },
  CategoryColor,
  SendModeOverride: { PromptUser: 'promptUser' },
  Folder: { Inbox: 'inbox', Junk: 'junk', DeletedItems: 'deletedItems' },
  UserProfileType: { Office365: 'office365', OutlookCom: 'outlookCom', Enterprise: 'enterprise' },
  ActionType: { ShowTaskPane: 'showTaskPane' },
  AttachmentType: { File: 'file', Item: 'item', Cloud: 'cloud' },
  AttachmentContentFormat: { Base64: 'base64', Url: 'url', Eml: 'eml', ICalendar: 'iCalendar' },
} as const;

export const NotificationType = MailboxEnums.ItemNotificationMessageType;
