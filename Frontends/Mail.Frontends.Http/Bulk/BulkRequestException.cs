namespace Mail.Frontends.Http.Bulk;

/// <summary>A bulk request body that is not what POST /v1/bulk takes; the message says what is wrong (answered 400).</summary>
public sealed class BulkRequestException(string message) : Exception(message);
