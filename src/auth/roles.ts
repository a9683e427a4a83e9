/** Application permissions (app roles) of the calls API, as the Graph permission tables name them. */
export const ROLES = {
  initiate: 'Calls.Initiate.All',
  initiateGroupCall: 'Calls.InitiateGroupCall.All',
  joinGroupCall: 'Calls.JoinGroupCall.All',
  joinGroupCallAsGuest: 'Calls.JoinGroupCallAsGuest.All',
  accessMedia: 'Calls.AccessMedia.All',
} as const;

export const ALL_CALL_ROLES: readonly string[] = Object.values(ROLES);

/** Any one of these lets an app place or join a call. */
export const CREATE_CALL_ROLES: readonly string[] = [ROLES.initiate, ROLES.initiateGroupCall, ROLES.joinGroupCall, ROLES.joinGroupCallAsGuest];
/** recordResponse and subscribeToTone: the docs list only this one. */
export const MEDIA_ACCESS_ROLES: readonly string[] = [ROLES.accessMedia];
/** Everything else on an existing call. */
export const CALL_CONTROL_ROLES: readonly string[] = [ROLES.initiate, ROLES.accessMedia];
/** participants/invite: the docs list only this one. */
export const GROUP_CALL_ROLES: readonly string[] = [ROLES.initiateGroupCall];
