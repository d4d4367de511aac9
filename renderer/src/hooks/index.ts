export {
  ServicesProvider,
  useApp,
  useAppLock,
  useAtRest,
  useGroup,
  usePrefs,
  usePrefsStore,
  useWallet,
} from './services';
export { type Formatters, useFormat } from './useFormat';
