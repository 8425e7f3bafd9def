using System.Security.Cryptography;
using System.Xml;
using IdentityBroker.Errors;
using IdentityBroker.Policies;
using IdentityBroker.Protocol;
using IdentityBroker.Protocol.Query;
using IdentityBroker.Protocol.Signing;
using IdentityBroker.Storage;
using Microsoft.Extensions.Options;

namespace IdentityBroker.Iam.Roles;

/// <summary>The IAM role actions (2010-05-08), all signed. Each action reads: bind and validate (RoleRequests) → store → write.</summary>
public sealed class IamRoleHandler(
    IIamStore store, PolicyCache policies, IOptions<BrokerOptions> options, TimeProvider time, IRoleUsageGuard? usage = null) : IQueryActionHandler
{
    /// <summary>IAM's default ACLSizePerRole quota for trust policies.</summary>
    private const int MaxTrustPolicyChars = 2048;

    private readonly RoleInlinePolicies _inline = new(store, policies);

    public string Version => "2010-05-08";

    public string XmlNamespace => "https://iam.amazonaws.com/doc/2010-05-08/";

    public IReadOnlyCollection<string> Actions { get; } =
    [
        "CreateRole", "GetRole", "DeleteRole", "ListRoles", "UpdateRole", "UpdateAssumeRolePolicy",
        "PutRolePolicy", "GetRolePolicy", "DeleteRolePolicy", "ListRolePolicies",
    ];

    public bool RequiresSignature(string action) => true;

    /// <summary>
    /// Service Authorization Reference (IAM): every role action acts on <c>role/&lt;path&gt;&lt;name&gt;</c> — the stored role's
    /// ARN, so its path counts, or the name under <c>/</c> when there is no such role; CreateRole on the role it asks for;
    /// ListRoles has no resource type. Roles carry no tags here, so there is no <c>aws:ResourceTag</c>.
    /// </summary>
    public async ValueTask<IReadOnlyList<ResourceContext>> ResourcesAsync(string action, QueryRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var name = request.Get("RoleName") ?? string.Empty;
        var arn = action switch
        {
            "ListRoles" => "*",
            "CreateRole" => RoleArn(options.Value.AccountId, request.Get("Path") ?? "/", name),
            _ => (name.Length == 0 ? null : await store.GetRoleAsync(name, cancellationToken).ConfigureAwait(false))?.Arn
                ?? RoleArn(options.Value.AccountId, "/", name),
        };
        return [ResourceContext.Named(arn)];
    }

    public async Task<ProtocolResponse> HandleAsync(string action, QueryRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var result = action switch
        {
            "CreateRole" => await RunAsync(RoleRequests.CreateRole(request), CreateRoleAsync, cancellationToken).ConfigureAwait(false),
            "GetRole" => await RunAsync(RoleRequests.RoleName(request), GetRoleAsync, cancellationToken).ConfigureAwait(false),
            "DeleteRole" => await RunAsync(RoleRequests.RoleName(request), DeleteRoleAsync, cancellationToken).ConfigureAwait(false),
            "ListRoles" => await RunAsync(RoleRequests.ListRoles(request), ListRolesAsync, cancellationToken).ConfigureAwait(false),
            "UpdateRole" => await RunAsync(RoleRequests.UpdateRole(request), UpdateRoleAsync, cancellationToken).ConfigureAwait(false),
            "UpdateAssumeRolePolicy" =>
                await RunAsync(RoleRequests.UpdateAssumeRolePolicy(request), UpdateAssumeRolePolicyAsync, cancellationToken).ConfigureAwait(false),
            "PutRolePolicy" => await RunAsync(RoleRequests.PutRolePolicy(request), _inline.PutAsync, cancellationToken).ConfigureAwait(false),
            "GetRolePolicy" => await RunAsync(RoleRequests.RolePolicy(request), _inline.GetAsync, cancellationToken).ConfigureAwait(false),
            "DeleteRolePolicy" => await RunAsync(RoleRequests.RolePolicy(request), _inline.DeleteAsync, cancellationToken).ConfigureAwait(false),
            "ListRolePolicies" => await RunAsync(RoleRequests.ListRolePolicies(request), _inline.ListAsync, cancellationToken).ConfigureAwait(false),
            _ => throw new ArgumentOutOfRangeException(nameof(action), action, "The dispatcher routes only the declared actions."),
        };
        return result.IsSuccess
            ? QueryXml.Success(action, XmlNamespace, request.RequestId, result.Value)
            : QueryXml.Error(result.Error!, XmlNamespace, request.RequestId);
    }

    /// <summary>Binding failed: its error; else the action's result.</summary>
    private static async Task<Result<Action<XmlWriter>>> RunAsync<TInput>(
        Result<TInput> bound, Func<TInput, CancellationToken, Task<Result<Action<XmlWriter>>>> run, CancellationToken cancellationToken) =>
        bound.IsSuccess ? await run(bound.Value, cancellationToken).ConfigureAwait(false) : bound.Error!;

    private async Task<Result<Action<XmlWriter>>> CreateRoleAsync(CreateRoleInput input, CancellationToken cancellationToken)
    {
        if (ValidateTrust(input.TrustPolicy) is { } error)
        {
            return error;
        }

        var rolePath = input.Path ?? "/";
        var role = new IamRole
        {
            RoleName = input.RoleName,
            RoleId = NewRoleId(),
            Arn = RoleArn(options.Value.AccountId, rolePath, input.RoleName),
            Path = rolePath,
            AssumeRolePolicyDocument = input.TrustPolicy,
            Description = input.Description,
            MaxSessionDuration = input.MaxSessionDuration ?? 3600,
            CreateDate = TruncateToSeconds(time.GetUtcNow()),
        };
        if (!await store.TryCreateRoleAsync(role, cancellationToken).ConfigureAwait(false))
        {
            return IamErrors.RoleExists(input.RoleName);
        }

        return Write(w => RoleXml.WriteRole(w, role));
    }

    private async Task<Result<Action<XmlWriter>>> GetRoleAsync(RoleNameInput input, CancellationToken cancellationToken)
    {
        var role = await FindRoleAsync(store, input.RoleName, cancellationToken).ConfigureAwait(false);
        return role.IsSuccess ? Write(w => RoleXml.WriteRole(w, role.Value, withLastUsed: true)) : role.Error!;
    }

    private async Task<Result<Action<XmlWriter>>> DeleteRoleAsync(RoleNameInput input, CancellationToken cancellationToken)
    {
        var role = await FindRoleAsync(store, input.RoleName, cancellationToken).ConfigureAwait(false);
        if (!role.IsSuccess)
        {
            return role.Error!;
        }

        if (role.Value.InlinePolicies.Count > 0)
        {
            return IamErrors.DeleteConflict();
        }

        if (usage is not null && await usage.CheckAsync(role.Value, deleted: true, cancellationToken).ConfigureAwait(false) is { } inUse)
        {
            return inUse;
        }

        return await store.DeleteRoleAsync(role.Value.RoleName, cancellationToken).ConfigureAwait(false)
            ? Write(_ => { })
            : IamErrors.NoSuchRole(role.Value.RoleName);
    }

    private async Task<Result<Action<XmlWriter>>> ListRolesAsync(ListRolesInput input, CancellationToken cancellationToken)
    {
        var roles = await store.ListRolesAsync(cancellationToken).ConfigureAwait(false);
        var matching = roles.Where(r => r.Path.StartsWith(input.PathPrefix ?? "/", StringComparison.Ordinal));
        var page = NamePaging.Page(matching, r => r.RoleName, input.Marker, input.MaxItems);
        if (!page.IsSuccess)
        {
            return page.Error!;
        }

        var (items, next) = page.Value;
        return Write(w => RoleXml.WritePage(w, "Roles", items.Select(r => (Action<XmlWriter>)(x => RoleXml.WriteRole(x, r, "member"))), next));
    }

    private async Task<Result<Action<XmlWriter>>> UpdateRoleAsync(UpdateRoleInput input, CancellationToken cancellationToken)
    {
        var role = await FindRoleAsync(store, input.RoleName, cancellationToken).ConfigureAwait(false);
        if (!role.IsSuccess)
        {
            return role.Error!;
        }

        var updated = role.Value with
        {
            Description = input.Description ?? role.Value.Description,
            MaxSessionDuration = input.MaxSessionDuration ?? role.Value.MaxSessionDuration,
        };
        return await SaveAsync(updated, cancellationToken).ConfigureAwait(false);
    }

    private async Task<Result<Action<XmlWriter>>> UpdateAssumeRolePolicyAsync(UpdateTrustInput input, CancellationToken cancellationToken)
    {
        var role = await FindRoleAsync(store, input.RoleName, cancellationToken).ConfigureAwait(false);
        if ((role.Error ?? ValidateTrust(input.TrustPolicy)) is { } error)
        {
            return error;
        }

        var updated = role.Value with { AssumeRolePolicyDocument = input.TrustPolicy };
        if (usage is not null && await usage.CheckAsync(updated, deleted: false, cancellationToken).ConfigureAwait(false) is { } breaks)
        {
            return breaks;
        }

        return await SaveAsync(updated, cancellationToken).ConfigureAwait(false);
    }

    private async Task<Result<Action<XmlWriter>>> SaveAsync(IamRole role, CancellationToken cancellationToken) =>
        await store.UpdateRoleAsync(role, cancellationToken).ConfigureAwait(false) ? Write(_ => { }) : IamErrors.NoSuchRole(role.RoleName);

    private AwsError? ValidateTrust(string document)
    {
        if (document.Length > MaxTrustPolicyChars)
        {
            return IamErrors.LimitExceeded($"Cannot exceed quota for ACLSizePerRole: {MaxTrustPolicyChars}");
        }

        return policies.Parse(document, PolicyKind.Trust).Error;
    }

    internal static async Task<Result<IamRole>> FindRoleAsync(IIamStore store, string roleName, CancellationToken cancellationToken)
    {
        var role = await store.GetRoleAsync(roleName, cancellationToken).ConfigureAwait(false);
        return role is null ? IamErrors.NoSuchRole(roleName) : role;
    }

    private static string RoleArn(string accountId, string path, string name) => $"arn:aws:iam::{accountId}:role{path}{name}";

    internal static Result<Action<XmlWriter>> Write(Action<XmlWriter> write) => write;

    /// <summary>IAM role ids: <c>AROA</c> and 17 upper-case alphanumerics.</summary>
    private static string NewRoleId()
    {
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        Span<byte> random = stackalloc byte[17];
        RandomNumberGenerator.Fill(random);
        var chars = new char[21];
        "AROA".CopyTo(chars);
        for (var i = 0; i < 17; i++)
        {
            chars[4 + i] = alphabet[random[i] & 31];
        }

        return new string(chars);
    }

    private static DateTimeOffset TruncateToSeconds(DateTimeOffset value) => DateTimeOffset.FromUnixTimeSeconds(value.ToUnixTimeSeconds());
}
