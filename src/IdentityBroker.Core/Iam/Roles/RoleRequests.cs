using IdentityBroker.Errors;
using IdentityBroker.Protocol.Query;

namespace IdentityBroker.Iam.Roles;

internal sealed record CreateRoleInput(string RoleName, string? Path, string TrustPolicy, string? Description, int? MaxSessionDuration);

internal sealed record RoleNameInput(string RoleName);

internal sealed record ListRolesInput(string? PathPrefix, string? Marker, int? MaxItems);

internal sealed record UpdateRoleInput(string RoleName, string? Description, int? MaxSessionDuration);

internal sealed record UpdateTrustInput(string RoleName, string TrustPolicy);

internal sealed record PutRolePolicyInput(string RoleName, string PolicyName, string PolicyDocument);

internal sealed record RolePolicyInput(string RoleName, string PolicyName);

internal sealed record ListRolePoliciesInput(string RoleName, string? Marker, int? MaxItems);

/// <summary>
/// Binds the Query parameters of each role action once, before it runs, into its input. When several parameters break
/// the model, the first in the order listed here is the one reported, as the role actions always answered.
/// </summary>
internal static class RoleRequests
{
    public static Result<CreateRoleInput> CreateRole(QueryRequest request)
    {
        var name = IamParameters.RoleName(request);
        var path = IamParameters.Path(request);
        var document = IamParameters.PolicyDocument(request, "AssumeRolePolicyDocument");
        var description = IamParameters.Description(request);
        var duration = IamParameters.MaxSessionDuration(request);
        return (name.Error ?? path.Error ?? document.Error ?? description.Error ?? duration.Error) is { } error
            ? error
            : new CreateRoleInput(name.Value, path.Value, document.Value, description.Value, duration.Value);
    }

    public static Result<RoleNameInput> RoleName(QueryRequest request)
    {
        var name = IamParameters.RoleName(request);
        return name.IsSuccess ? new RoleNameInput(name.Value) : name.Error!;
    }

    public static Result<ListRolesInput> ListRoles(QueryRequest request)
    {
        var prefix = IamParameters.PathPrefix(request);
        var marker = IamParameters.Marker(request);
        var maxItems = IamParameters.MaxItems(request);
        return (prefix.Error ?? marker.Error ?? maxItems.Error) is { } error ? error : new ListRolesInput(prefix.Value, marker.Value, maxItems.Value);
    }

    public static Result<UpdateRoleInput> UpdateRole(QueryRequest request)
    {
        var description = IamParameters.Description(request);
        var duration = IamParameters.MaxSessionDuration(request);
        var name = IamParameters.RoleName(request);
        return (description.Error ?? duration.Error ?? name.Error) is { } error ? error : new UpdateRoleInput(name.Value, description.Value, duration.Value);
    }

    public static Result<UpdateTrustInput> UpdateAssumeRolePolicy(QueryRequest request)
    {
        var document = IamParameters.PolicyDocument(request, "PolicyDocument");
        var name = IamParameters.RoleName(request);
        return (document.Error ?? name.Error) is { } error ? error : new UpdateTrustInput(name.Value, document.Value);
    }

    public static Result<PutRolePolicyInput> PutRolePolicy(QueryRequest request)
    {
        var policyName = IamParameters.PolicyName(request);
        var document = IamParameters.PolicyDocument(request, "PolicyDocument");
        var name = IamParameters.RoleName(request);
        return (policyName.Error ?? document.Error ?? name.Error) is { } error ? error : new PutRolePolicyInput(name.Value, policyName.Value, document.Value);
    }

    public static Result<RolePolicyInput> RolePolicy(QueryRequest request)
    {
        var policyName = IamParameters.PolicyName(request);
        var name = IamParameters.RoleName(request);
        return (policyName.Error ?? name.Error) is { } error ? error : new RolePolicyInput(name.Value, policyName.Value);
    }

    public static Result<ListRolePoliciesInput> ListRolePolicies(QueryRequest request)
    {
        var marker = IamParameters.Marker(request);
        var maxItems = IamParameters.MaxItems(request);
        var name = IamParameters.RoleName(request);
        return (marker.Error ?? maxItems.Error ?? name.Error) is { } error ? error : new ListRolePoliciesInput(name.Value, marker.Value, maxItems.Value);
    }
}
