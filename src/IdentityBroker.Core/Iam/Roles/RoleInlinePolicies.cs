using System.Xml;
using IdentityBroker.Errors;
using IdentityBroker.Policies;
using IdentityBroker.Storage;

namespace IdentityBroker.Iam.Roles;

/// <summary>PutRolePolicy, GetRolePolicy, DeleteRolePolicy, ListRolePolicies.</summary>
internal sealed class RoleInlinePolicies(IIamStore store, PolicyCache policies)
{
    /// <summary>IAM's quota on the aggregate size of a role's inline policies, whitespace excluded.</summary>
    private const int MaxAggregateChars = 10240;

    public async Task<Result<Action<XmlWriter>>> PutAsync(PutRolePolicyInput input, CancellationToken cancellationToken)
    {
        var role = await IamRoleHandler.FindRoleAsync(store, input.RoleName, cancellationToken).ConfigureAwait(false);
        if (!role.IsSuccess)
        {
            return role.Error!;
        }

        if (policies.Parse(input.PolicyDocument, PolicyKind.Permission).Error is { } malformed)
        {
            return malformed;
        }

        // Names are unique case-insensitively: putting "Foo" over "foo" replaces it.
        var inline = role.Value.InlinePolicies
            .Where(p => !string.Equals(p.Key, input.PolicyName, StringComparison.OrdinalIgnoreCase))
            .ToDictionary(p => p.Key, p => p.Value);
        inline[input.PolicyName] = input.PolicyDocument;
        if (inline.Values.Sum(d => d.Count(c => !char.IsWhiteSpace(c))) > MaxAggregateChars)
        {
            return IamErrors.LimitExceeded($"Maximum policy size of {MaxAggregateChars} bytes exceeded for role {role.Value.RoleName}");
        }

        return await SaveAsync(role.Value with { InlinePolicies = inline }, cancellationToken).ConfigureAwait(false);
    }

    public async Task<Result<Action<XmlWriter>>> GetAsync(RolePolicyInput input, CancellationToken cancellationToken)
    {
        var found = await FindPolicyAsync(input, cancellationToken).ConfigureAwait(false);
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

    public async Task<Result<Action<XmlWriter>>> DeleteAsync(RolePolicyInput input, CancellationToken cancellationToken)
    {
        var found = await FindPolicyAsync(input, cancellationToken).ConfigureAwait(false);
        if (!found.IsSuccess)
        {
            return found.Error!;
        }

        var (role, name, _) = found.Value;
        var inline = new Dictionary<string, string>(role.InlinePolicies);
        inline.Remove(name);
        return await SaveAsync(role with { InlinePolicies = inline }, cancellationToken).ConfigureAwait(false);
    }

    public async Task<Result<Action<XmlWriter>>> ListAsync(ListRolePoliciesInput input, CancellationToken cancellationToken)
    {
        var role = await IamRoleHandler.FindRoleAsync(store, input.RoleName, cancellationToken).ConfigureAwait(false);
        if (!role.IsSuccess)
        {
            return role.Error!;
        }

        var page = NamePaging.Page(role.Value.InlinePolicies.Keys, n => n, input.Marker, input.MaxItems);
        if (!page.IsSuccess)
        {
            return page.Error!;
        }

        var (names, next) = page.Value;
        return IamRoleHandler.Write(w => RoleXml.WritePage(w, "PolicyNames", names.Select(n => (Action<XmlWriter>)(x => x.WriteElementString("member", n))), next));
    }

    private async Task<Result<(IamRole Role, string Name, string Document)>> FindPolicyAsync(RolePolicyInput input, CancellationToken cancellationToken)
    {
        var role = await IamRoleHandler.FindRoleAsync(store, input.RoleName, cancellationToken).ConfigureAwait(false);
        if (!role.IsSuccess)
        {
            return role.Error!;
        }

        // IAM policy names are unique case-insensitively within a role.
        var entry = role.Value.InlinePolicies.FirstOrDefault(p => string.Equals(p.Key, input.PolicyName, StringComparison.OrdinalIgnoreCase));
        return entry.Key is null ? IamErrors.NoSuchRolePolicy(input.PolicyName) : (role.Value, entry.Key, entry.Value);
    }

    private async Task<Result<Action<XmlWriter>>> SaveAsync(IamRole role, CancellationToken cancellationToken) =>
        await store.UpdateRoleAsync(role, cancellationToken).ConfigureAwait(false) ? IamRoleHandler.Write(_ => { }) : IamErrors.NoSuchRole(role.RoleName);
}
