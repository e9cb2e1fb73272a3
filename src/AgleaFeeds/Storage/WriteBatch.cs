using System.Text.Json;
using AgleaFeeds.Model;
using System.Data.Common;

namespace AgleaFeeds.Storage;

/// <summary>
/// The writes of one transaction, each statement prepared once and bound per row: a poll stores
/// dozens of rows and SQLite has a single writer, so per-row statement preparation is what the
/// writer would otherwise spend its time on. Rows that did not change are not rewritten.
/// </summary>
/// <param name="prepared">Statements already prepared on <paramref name="connection"/> by their text, kept beyond this batch (and filled by it); null: this batch's own.</param>
internal sealed partial class WriteBatch(DbConnection connection, DbTransaction transaction, DateTimeOffset now, StoreDatabase db, Dictionary<string, DbCommand>? prepared = null) : IDisposable
{
    private readonly long _at = now.ToUnixTimeMilliseconds();

    /// <summary>How many comments this batch sent back to scoring because their words changed.</summary>
    public int Rescored { get; private set; }
    private readonly Dictionary<string, long> _postIds = new(StringComparer.Ordinal);
    private readonly List<DbCommand> _commands = [];
    private DbCommand? _findPost;
    private DbCommand? _insertPost;
    private DbCommand? _updatePost;
    private DbCommand? _findPostForComment;
    private DbCommand? _insertStub;
    private DbCommand? _findComment;
    private DbCommand? _insertComment;
    private DbCommand? _updateComment;
    private DbCommand? _refreshPost;
    private DbCommand? _linkParent;
    private DbCommand? _commentState;
    private DbCommand? _saveValidators;
    private DbCommand? _saveModeratorFields;
    private DbCommand? _savePollState;
    private DbCommand? _createdEvents;
    private DbCommand? _linkParents;

    private DbCommand Plain(string sql, params (string Name, object? Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.Add(Parameter(command, name, value));
        }

        return command;
    }

    private DbCommand Command(ref DbCommand? command, string sql, params string[] parameters)
    {
        if (command is not null)
        {
            return command;
        }

        if (prepared is not null)
        {
            return command = Prepared(prepared, connection, transaction, db, sql, parameters);
        }

        command = Prepare(connection, transaction, db, sql, parameters);
        _commands.Add(command);
        return command;
    }

    /// <summary>The statement kept in <paramref name="cache"/> by its text (in this transaction), prepared and kept there the first time.</summary>
    internal static DbCommand Prepared(Dictionary<string, DbCommand> cache, DbConnection connection, DbTransaction? transaction, StoreDatabase db, string sql, params string[] parameters)
    {
        if (cache.TryGetValue(sql, out var kept))
        {
            kept.Transaction = transaction;
            return kept;
        }

        return cache[sql] = Prepare(connection, transaction, db, sql, parameters);
    }

    /// <summary>A statement with its parameters (bound later with <see cref="Bind"/>), prepared where the database wants it.</summary>
    internal static DbCommand Prepare(DbConnection connection, DbTransaction? transaction, StoreDatabase db, string sql, params string[] parameters)
    {
        var command = db.CreateRepeatedCommand(connection);
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach (var name in parameters)
        {
            command.Parameters.Add(Parameter(command, name, null));
        }

        if (db.PrepareStatements)
        {
            command.Prepare();
        }

        return command;
    }

    private static DbParameter Parameter(DbCommand command, string name, object? value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value ?? DBNull.Value;
        return parameter;
    }

    /// <summary>A 0/1 flag or a boolean (SQLite has integers where PostgreSQL has booleans, e.g. EXISTS).</summary>
    private static bool Flag(DbDataReader reader, int ordinal) => Convert.ToBoolean(reader.GetValue(ordinal), System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Sets the command's parameters in order (a span: no array per row written).</summary>
    internal static void Bind(DbCommand command, params ReadOnlySpan<object?> values)
    {
        for (var i = 0; i < values.Length; i++)
        {
            command.Parameters[i].Value = values[i] ?? DBNull.Value;
        }
    }

    public void Dispose()
    {
        foreach (var command in _commands)
        {
            command.Dispose();
        }
    }
}
