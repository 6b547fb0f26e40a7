// eth_getLogs, polling filters (HTTP) and subscriptions (WebSocket).
import { RpcCode, RpcError, invalidParams } from '../errors.ts';
import { formatLog } from '../format.ts';
import { queryLogs } from '../logs.ts';
import { bool, filterId, filterObject, isRecord, type Parser } from '../params.ts';
import { MAX_SUBSCRIPTIONS, type SubscriptionKind } from '../subscriptions.ts';
import { method, opt, req, type MethodTable } from './method.ts';

const subscriptionKind: Parser<string> = (v, where) => {
  if (v !== 'newHeads' && v !== 'logs' && v !== 'newPendingTransactions') {
    throw invalidParams(`invalid ${where}: want "newHeads", "logs" or "newPendingTransactions"`);
  }
  return v;
};

/** The second eth_subscribe argument: a log filter for "logs", a boolean for pending transactions. */
const subscriptionOptions: Parser<unknown> = (v) => v;

export const logMethods: MethodTable = {
  eth_getLogs: method([req('filter', filterObject)], async ({ backend, limits }, f) =>
    (await queryLogs(backend, f, limits)).map(formatLog),
  ),
  eth_newFilter: method([req('filter', filterObject)], ({ filters }, f) => filters.newLogFilter(f)),
  eth_newBlockFilter: method([], ({ filters }) => filters.newBlockFilter()),
  eth_newPendingTransactionFilter: method([], ({ filters }) => filters.newPendingTxFilter()),
  eth_getFilterChanges: method([req('filterId', filterId)], ({ filters }, id) => filters.changes(id)),
  eth_getFilterLogs: method([req('filterId', filterId)], async ({ backend, filters, limits }, id) =>
    (await queryLogs(backend, filters.logCriteria(id), limits)).map(formatLog),
  ),
  eth_uninstallFilter: method([req('filterId', filterId)], ({ filters }, id) => filters.uninstall(id)),

  eth_subscribe: method(
    [req('kind', subscriptionKind), opt('options', subscriptionOptions, undefined)],
    ({ subscriptions }, kind, options) => {
      if (!subscriptions) throw new RpcError(RpcCode.notificationsUnsupported, 'notifications not supported');
      if (subscriptions.size >= MAX_SUBSCRIPTIONS) {
        throw new RpcError(RpcCode.limitExceeded, `too many subscriptions on this connection (max ${MAX_SUBSCRIPTIONS})`);
      }
      let what: SubscriptionKind;
      if (kind === 'newHeads') {
        if (options !== undefined) throw invalidParams('invalid argument 1 (options): newHeads takes no options');
        what = { kind };
      } else if (kind === 'logs') {
        if (options !== undefined && !isRecord(options)) throw invalidParams('invalid argument 1 (filter): want an object');
        what = { kind, criteria: filterObject(options ?? {}, 'argument 1 (filter)') };
      } else {
        what = { kind: 'newPendingTransactions', fullTransactions: options === undefined ? false : bool(options, 'argument 1 (fullTransactions)') };
      }
      return subscriptions.subscribe(what);
    },
  ),
  eth_unsubscribe: method([req('subscriptionId', filterId)], ({ subscriptions }, id) => {
    if (!subscriptions) throw new RpcError(RpcCode.notificationsUnsupported, 'notifications not supported');
    return subscriptions.unsubscribe(id);
  }),
};
