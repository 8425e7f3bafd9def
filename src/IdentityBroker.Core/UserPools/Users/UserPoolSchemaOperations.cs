using IdentityBroker.Errors;
using IdentityBroker.Storage;
using IdentityBroker.UserPools.Pools;

namespace IdentityBroker.UserPools.Users;

/// <summary>AddCustomAttributes: custom attributes join the pool's schema; existing ones cannot be changed or removed.</summary>
public sealed class UserPoolSchemaOperations(IUserPoolStore pools, TimeProvider time)
{
    /// <summary>Cognito's answer to a required custom attribute (custom attributes cannot be required).</summary>
    public static AwsError RequiredCustomAttribute { get; } =
        UserPoolErrors.InvalidParameter("Required custom attributes are not supported currently.");

    public async Task<Result<Unit>> AddCustomAttributesAsync(AddCustomAttributes command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        if (await pools.GetUserPoolAsync(command.UserPoolId, cancellationToken).ConfigureAwait(false) is not { } pool)
        {
            return UserPoolErrors.UserPoolNotFound(command.UserPoolId);
        }

        var schema = (pool.Schema ?? []).ToList();
        foreach (var attribute in command.Attributes)
        {
            if (attribute.Required)
            {
                return RequiredCustomAttribute;
            }

            var name = StandardAttributes.CustomPrefix + attribute.Name;
            if (schema.Any(a => a.Name == name))
            {
                return UserErrors.CustomAttributeExists(attribute.Name);
            }

            schema.Add(attribute with { Name = name });
        }

        if (schema.Count(a => StandardAttributes.IsCustom(a.Name)) > SchemaAttribute.MaxCustomAttributes)
        {
            return UserErrors.TooManyCustomAttributes;
        }

        var updated = pool with { Schema = schema, LastModifiedDate = time.GetUtcNow() };
        return await pools.UpdateUserPoolAsync(updated, cancellationToken).ConfigureAwait(false)
            ? Unit.Value
            : UserPoolErrors.UserPoolNotFound(command.UserPoolId);
    }
}
