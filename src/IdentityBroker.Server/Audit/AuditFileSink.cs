using System.Text;
using IdentityBroker.Audit;
using IdentityBroker.Observability;
using Microsoft.Extensions.Options;

namespace IdentityBroker.Server.Audit;

/// <summary>
/// <c>Broker:Audit:File</c>: every record appended as one line of JSON (the CloudTrail record itself), for log shippers. Written
/// after the store write of the same batch and flushed per batch; a failing file is logged and never blocks the trail.
/// </summary>
internal sealed partial class AuditFileSink(IOptions<AuditOptions> options, ILogger<AuditFileSink> logger) : IDisposable
{
    private readonly string? _path = options.Value.File;
    private FileStream? _stream;

    public void Append(IReadOnlyList<AuditRecord> records)
    {
        if (_path is null)
        {
            return;
        }

        try
        {
            _stream ??= new FileStream(_path, FileMode.Append, FileAccess.Write, FileShare.Read);
            var text = new StringBuilder();
            foreach (var record in records)
            {
                text.Append(record.CloudTrailEvent).Append('\n');
            }

            _stream.Write(Encoding.UTF8.GetBytes(text.ToString()));
            _stream.Flush();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            LogFileFailed(logger, _path, e.Message);
            _stream?.Dispose();
            _stream = null;
        }
    }

    public void Dispose() => _stream?.Dispose();

    [LoggerMessage(EventId = LogEvents.AuditFileFailed, Level = LogLevel.Warning, Message = "Audit file {Path} could not be written: {Reason}")]
    private static partial void LogFileFailed(ILogger logger, string path, string reason);
}
