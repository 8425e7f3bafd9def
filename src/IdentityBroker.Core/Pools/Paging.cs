using IdentityBroker.Errors;
using IdentityBroker.Storage;

namespace IdentityBroker.Pools;

/// <summary>Turns a store's refusal of a NextToken it did not issue into the AWS error.</summary>
public static class Paging
{
    public static async Task<Result<Page<T>>> ReadAsync<T>(Func<Task<Page<T>>> read)
    {
        ArgumentNullException.ThrowIfNull(read);
        try
        {
            return await read().ConfigureAwait(false);
        }
        catch (InvalidNextTokenException)
        {
            return CognitoErrors.InvalidParameter("The NextToken is invalid.");
        }
    }
}
