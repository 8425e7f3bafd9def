using System.Xml;
using IdentityBroker.Errors;
using IdentityBroker.Policies;
using IdentityBroker.Protocol.Query;
using IdentityBroker.Storage;

namespace IdentityBroker.Iam.Roles;

/// <summary>PutRolePolicy, GetRolePolicy, DeleteRolePolicy, ListRolePolicies.</summary>
internal sealed class RoleInlinePolicies(IIamStore store, PolicyCache policies)
{
    /// <summary>IAM's quota on the aggregate size of a role's inline policies, whitespace excluded.</summary>
    private const int MaxAggregateChars = 10240;

    public async Task<Result<Action<XmlWriter>>> PutAsync(QueryRequest request, CancellationToken cancellationToken)
    {
        var policyName = IamParameters.PolicyName(request);
        var document = IamParameters.PolicyDocument(request, "PolicyDocument");
        var role = await IamRoleHandler.FindRoleAsync(store, request, cancellationToken).ConfigureAwait(false);
        if ((policyName.Error ?? document.Error ?? role.Error) is { } error)
        {
            return error;
        }

        if (policies.Parse(document.Value, PolicyKind.Permission).Error is { } malformed)
        {
            return malformed;
        }

        // Names are unique case-insensitively: putting "Foo" over "foo" replaces it.
        var inline = role.Value.InlinePolicies
            .Where(p => !string.Equals(p.Key, policyName.Value, StringComparison.OrdinalIgnoreCase))
            .ToDictionary(p => p.Key, p => p.Value);
        inline[policyName.Value] = document.Value;
        if (inline.Values.Sum(d => d.Count(c => !char.IsWhiteSpace(c))) > MaxAggregateChars)
        {
            return IamErrors.LimitExceeded($"Maximum policy size of {MaxAggregateChars} bytes exceeded for role {role.Value.RoleName}");
        }

        return await SaveAsync(role.Value with { InlinePolicies = inline }, cancellationToken).ConfigureAwait(false);
    }

    public async Task<Result<Action<XmlWriter>>> GetAsync(QueryRequest request, CancellationToken cancellationToken)
    {
        var found = await FindPolicyAsync(request, cancellationToken).ConfigureAwait(false);
        if (!found.IsSuccess)
        {
            return found.Error!;
        }

        var (role, name, document) = found.Value;
        return IamRoleHandler.Write(w =>
        {
            w.WriteElementString("RoleName", role.RoleName);
            w.WriteElementString("PolicyName", name);
            w.WriteElementString("PolicyDocument", RoleXml.EncodeDocument(document));
        });
    }

    public async Task<Result<Action<XmlWriter>>> DeleteAsync(QueryRequest request, CancellationToken cancellationToken)
    {
        var found = await FindPolicyAsync(request, cancellationToken).ConfigureAwait(false);
        if (!found.IsSuccess)
        {
            return found.Error!;
        }

        var (role, name, _) = found.Value;
        var inline = new Dictionary<string, string>(role.InlinePolicies);
        inline.Remove(name);
        return await SaveAsync(role with { InlinePolicies = inline }, cancellationToken).ConfigureAwait(false);
    }

    public async Task<Result<Action<XmlWriter>>> ListAsync(QueryRequest request, CancellationToken cancellationToken)
    {
        var marker = IamParameters.Marker(request);
        var maxItems = IamParameters.MaxItems(request);
        var role = await IamRoleHandler.FindRoleAsync(store, request, cancellationToken).ConfigureAwait(false);
        if ((marker.Error ?? maxItems.Error ?? role.Error) is { } error)
        {
            return error;
        }

        var page = NamePaging.Page(role.Value.InlinePolicies.Keys, n => n, marker.Value, maxItems.Value);
        if (!page.IsSuccess)
        {
            return page.Error!;
        }

        var (names, next) = page.Value;
        return IamRoleHandler.Write(w => RoleXml.WritePage(w, "PolicyNames", names.Select(n => (Action<XmlWriter>)(x => x.WriteElementString("member", n))), next));
    }

    private async Task<Result<(IamRole Role, string Name, string Document)>> FindPolicyAsync(QueryRequest request, CancellationToken cancellationToken)
    {
        var policyName = IamParameters.PolicyName(request);
        var role = await IamRoleHandler.FindRoleAsync(store, request, cancellationToken).ConfigureAwait(false);
        if ((policyName.Error ?? role.Error) is { } error)
        {
            return error;
        }

        // IAM policy names are unique case-insensitively within a role.
        var entry = role.Value.InlinePolicies.FirstOrDefault(p => string.Equals(p.Key, policyName.Value, StringComparison.OrdinalIgnoreCase));
        return entry.Key is null ? IamErrors.NoSuchRolePolicy(policyName.Value) : (role.Value, entry.Key, entry.Value);
    }

    private async Task<Result<Action<XmlWriter>>> SaveAsync(IamRole role, CancellationToken cancellationToken) =>
        await store.UpdateRoleAsync(role, cancellationToken).ConfigureAwait(false) ? IamRoleHandler.Write(_ => { }) : IamErrors.NoSuchRole(role.RoleName);
}
