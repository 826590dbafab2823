/**
 * The Background check tab's controller part, loaded as the tab's chunk (with its view) when the tab
 * is first shown: the runner's status and the folder tracking rules, in the pane state together.
 */
import type { BackgroundTabActions } from '../actions';
import { BackgroundModel } from './backgroundModel';
import { EMPTY_FOLDER_TRACKING, FolderTrackingModel, type FolderTrackingDeps } from './folderTrackingModel';
import type { PaneCore } from './paneCore';

export class BackgroundTab implements BackgroundTabActions {
  readonly background: BackgroundModel;
  readonly folders: FolderTrackingModel;

  constructor(core: PaneCore, deps: FolderTrackingDeps) {
    this.background = new BackgroundModel(core, core.options.background);
    core.set({ background: { ...this.background.initial(), folders: EMPTY_FOLDER_TRACKING } });
    this.folders = new FolderTrackingModel(core, deps);
  }

  checkNow = (): void => this.background.checkNow();
  loadFolders = (): Promise<void> => this.folders.load();
  pickFolder = (folderId: string | null): void => this.folders.pickFolder(folderId);
  findRegarding = (): void => this.folders.findRegarding();
  chooseRegarding = (hit: Parameters<FolderTrackingModel['chooseRegarding']>[0]): Promise<void> =>
    this.folders.chooseRegarding(hit);
  addFolderMapping = (): Promise<void> => this.folders.add();
  removeFolderMapping = (mappingId: string): Promise<void> => this.folders.remove(mappingId);

  dispose(): void {
    this.background.dispose();
  }
}

export function openBackgroundTab(core: PaneCore, deps: FolderTrackingDeps): BackgroundTab {
  return new BackgroundTab(core, deps);
}
