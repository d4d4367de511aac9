/**
 * Everything a group needs to verify, sync and write, but not to be shown: the verifier and its
 * crypto, Yjs, the relay transport. Loaded on its own (wallet.ts imports it dynamically) once
 * the first screen is up, so none of it is parsed before the groups appear.
 */
import * as Y from 'yjs';

export { generateGroupId, generateGroupKey } from '../../../shared/crypto/group-key';
export { generateIdentity, importSecretKey, memberIdOf } from '../../../shared/crypto/identity';
export { x25519PublicHex } from '../../../shared/crypto/x25519';
export { grantedKeyMap } from '../../../shared/sync/granted-keys';
export { ENTRIES_MAP, GroupSync } from '../../../shared/sync/group-sync';
export { Y };
