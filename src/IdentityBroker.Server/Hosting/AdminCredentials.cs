using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using IdentityBroker.Protocol.Json;
using IdentityBroker.Observability;

namespace IdentityBroker.Server.Hosting;

/// <summary>
/// The admin (developer) key for signed calls: from configuration, else from <c>admin-credentials.json</c> in the data
/// directory, else generated there on first start (mode 0600). The secret is never logged: the log names the file.
/// </summary>
internal static partial class AdminCredentials
{
    public const string FileName = "admin-credentials.json";

    public static AdminKey Load(BrokerOptions options, ILogger logger)
    {
        if (options.Admin is { AccessKeyId: { } id, SecretAccessKey: { } secret })
        {
            return new AdminKey(id, secret);
        }

        Directory.CreateDirectory(options.DataDirectory);
        var path = Path.Combine(options.DataDirectory, FileName);
        if (File.Exists(path))
        {
            return JsonSerializer.Deserialize(File.ReadAllText(path), AdminJsonContext.Default.AdminKey)
                ?? throw new InvalidOperationException($"{path} is empty; delete it to generate a new admin key.");
        }

        var key = Generate();
        WritePrivate(path, ToJson(key));
        LogGenerated(logger, key.AccessKeyId, Path.GetFullPath(path));
        return key;
    }

    /// <summary>The file users read with sed (README): a <c>+</c> or <c>/</c> of the secret is written as itself.</summary>
    internal static string ToJson(AdminKey key) => Encoding.UTF8.GetString(ReplyJson.Serialize(key, AdminJsonContext.Default.AdminKey, indented: true));

    private static AdminKey Generate()
    {
        const string upper = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        var id = "AKIA" + RandomNumberGenerator.GetString(upper, 16);
        var secret = Convert.ToBase64String(RandomNumberGenerator.GetBytes(30));
        return new AdminKey(id, secret);
    }

    private static void WritePrivate(string path, string content)
    {
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using var stream = new FileStream(path, options);
        using var writer = new StreamWriter(stream);
        writer.Write(content);
    }

    [LoggerMessage(EventId = LogEvents.AdminKeyGenerated, Level = LogLevel.Warning,
        Message = "Generated the admin access key {AccessKeyId}; its secret is in {Path} (mode 0600). This is logged once.")]
    private static partial void LogGenerated(ILogger logger, string accessKeyId, string path);
}

internal sealed record AdminKey(string AccessKeyId, string SecretAccessKey);

[JsonSerializable(typeof(AdminKey))]
internal sealed partial class AdminJsonContext : JsonSerializerContext;
