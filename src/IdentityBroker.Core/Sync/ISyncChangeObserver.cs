namespace IdentityBroker.Sync;

/// <summary>
/// Told of every change after the store committed it (UpdateRecords, DeleteDataset), on the request's thread: where push
/// sync learns a dataset changed. Any number may be registered (the core registers none). An observer is quick and queues
/// slow work; the caller catches and logs anything it throws, so a failing observer never fails the request.
/// </summary>
public interface ISyncChangeObserver
{
    void OnChangeCommitted(SyncChange change);
}
