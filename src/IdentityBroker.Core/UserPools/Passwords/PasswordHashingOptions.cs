using Microsoft.Extensions.Options;

namespace IdentityBroker.UserPools.Passwords;

/// <summary>
/// <c>Broker:UserPools:PasswordHashing</c>. The hash is ASP.NET Core Identity's format 3: PBKDF2 with HMAC-SHA512, a
/// 128-bit salt and a 256-bit subkey. IterationCount is the cost; raising it makes every stored hash "rehash needed" at
/// its next successful check, so hashes move to the new cost as users sign in.
/// </summary>
public sealed class PasswordHashingOptions
{
    public const string Section = "Broker:UserPools:PasswordHashing";

    /// <summary>ASP.NET Core Identity's default since .NET 7, and the floor: a lower cost is refused at start-up.</summary>
    public const int MinimumIterationCount = 100_000;

    /// <summary>Above this one check takes seconds on a small server: a typo, not a choice.</summary>
    public const int MaximumIterationCount = 5_000_000;

    public int IterationCount { get; set; } = MinimumIterationCount;
}

/// <summary>Refuses a cost below the floor or absurdly high, at start-up.</summary>
public sealed class PasswordHashingOptionsValidator : IValidateOptions<PasswordHashingOptions>
{
    public ValidateOptionsResult Validate(string? name, PasswordHashingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.IterationCount is < PasswordHashingOptions.MinimumIterationCount or > PasswordHashingOptions.MaximumIterationCount
            ? ValidateOptionsResult.Fail(
                $"{PasswordHashingOptions.Section}:IterationCount must be {PasswordHashingOptions.MinimumIterationCount} to {PasswordHashingOptions.MaximumIterationCount}; it is {options.IterationCount}.")
            : ValidateOptionsResult.Success;
    }
}
