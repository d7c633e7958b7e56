namespace Mail.Storage.Blobs;

/// <summary>A stored blob as the orphan sweep sees it: the name it is read by, and when it was written.</summary>
public sealed record WrittenBlob(string Name, DateTimeOffset WrittenAt);
