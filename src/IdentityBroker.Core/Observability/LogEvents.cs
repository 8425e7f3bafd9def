namespace IdentityBroker.Observability;

/// <summary>
/// Every log event the broker writes, with its id: each <c>[LoggerMessage]</c> in the source names one of these constants, and
/// no two share a value (both checked by tests). An operator can filter or alert on an id; the id of an event never changes.
/// <code>
/// range       area
/// 1000–1099   start-up: admin key, demo pool, store at start, issuer, connection limits
/// 3000–3099   role mapping and credentials (roles, principal tags, STS minting)
/// 3100–3199   SAML
/// 4100–4199   OpenID Connect and JWT issuer keys
/// 4200–4299   social providers: 4210s Facebook, 4220s Login with Amazon
/// 5200–5299   user-pool messages (email, SMS, dev outbox)
/// 7400–7499   limits and the identity lifecycle (the guest sweeper)
/// 7900–7949   Cognito Sync
/// 7950–7999   Cognito Sync delivery: push, events, streams, bulk publish
/// 8100–8199   configuration as code
/// 9000–9099   the HTTP edge: faults, store outages, client aborts
/// 9100–9199   connections
/// </code>
/// What is never logged, at any level: tokens (login tokens, the broker's own, STS session tokens), secrets and secret
/// access keys, passwords, authorization codes, signatures, SAML responses and assertions, request bodies. An event may name
/// an access key id, a pool, a role ARN, an issuer URL or a request id; a reason is the broker's own wording, never input
/// echoed back. Audit events (who called what) go to the edge's call observers, not to this log.
/// </summary>
public static class LogEvents
{
    // 1000–1099: start-up.
    public const int AdminKeyGenerated = 1001;
    public const int DemoPoolSeeded = 1002;
    public const int NoIssuer = 1003;
    public const int Listening = 1004;
    public const int StoreUnavailableAtStart = 1005;
    public const int StoreAnsweredAtStart = 1006;
    public const int StartupFailed = 1007;
    public const int ConnectionLimits = 1008;

    // 3000–3099: role mapping and credentials.
    public const int NoRole = 3001;
    public const int MintFailed = 3002;
    public const int PrincipalTagSkipped = 3003;

    // 3100–3199: SAML.
    public const int SamlSha1Allowed = 3101;
    public const int SamlIdpLogoutRefused = 3150;
    public const int SamlIdpLogoutAccepted = 3151;

    // 4100–4199: OpenID Connect and JWT issuer keys.
    public const int IssuerMismatch = 4101;
    public const int IssuerKeysUnreachable = 4102;

    // 4200–4299: social providers.
    public const int FacebookGraphUnreachable = 4211;
    public const int FacebookGraphRefused = 4212;
    public const int FacebookNoAppSecret = 4213;
    public const int AmazonUnreachable = 4221;

    // 5200–5299: user-pool messages.
    public const int UserPoolMessageToOutbox = 5201;
    public const int UserPoolMessageNotDelivered = 5202;

    // 5300–5399: compromised-password sources (never the password or its hash).
    public const int CompromisedSourceUnavailable = 5301;
    public const int CompromisedRangeApiFailed = 5302;

    // 5400–5499: user-pool triggers (never the event: it can carry passwords and codes).
    public const int TriggerFailed = 5401;

    // 9000–9099: the HTTP edge.
    public const int UnhandledError = 9001;
    public const int StoreUnavailable = 9002;
    public const int ClientEndedRequest = 9010;

    // 9100–9199: connections.
    public const int ConnectionRefused = 9101;
    public const int AcceptFailed = 9102;
    public const int IdleConnectionClosed = 9103;

    // 9300–9399: the audit trail (counts and reasons, never a record's contents).
    public const int AuditDropped = 9301;
    public const int AuditWriteFailed = 9302;
    public const int AuditPruned = 9303;
    public const int AuditFileFailed = 9304;

    // 7400–7499: limits and the identity lifecycle (counts and reasons; never an address or identity list).
    public const int GuestsSwept = 7401;
    public const int GuestSweepFailed = 7402;
    // Revocation and signing-key rotation (7500-7599).
    public const int RevocationRefreshFailed = 7501;
    public const int SigningKeyRotated = 7510;

    // 7900–7949: Cognito Sync (dataset names and counts; never a record value, device token or session token).
    public const int SyncObserverFailed = 7901;

    // 7950–7999: Cognito Sync delivery — push, events, streams (counts, platforms and device ids; never a device token or record value).
    public const int SyncPushDropped = 7950;
    public const int SyncPushFailed = 7951;
    public const int SyncPushLookupFailed = 7952;
    public const int SyncBulkPublishFinished = 7960;
    public const int SyncBulkPublishFailed = 7961;
    public const int SyncBulkPublishEnded = 7962;

    // 8100–8199: configuration as code (resource counts and names; never a document's contents).
    public const int ConfigurationApplied = 8101;
    public const int ConfigurationInterfered = 8102;
}
