// Edit Column (the header menu): a column's title, and for a custom column the field it shows.

import { useState } from 'react';
import type { ColumnSpec } from '../state/columns';

export function ColumnEditor({ column, onSave, onClose }: { column: ColumnSpec; onSave(c: ColumnSpec): void; onClose(): void }) {
  const [title, setTitle] = useState(column.title);
  const [field, setField] = useState(column.field ?? '');
  const custom = column.kind === 'field';
  return (
    <div className="modal-backdrop" role="presentation" onMouseDown={(e) => e.target === e.currentTarget && onClose()}>
      <form
        className="modal"
        role="dialog"
        aria-label="Edit column"
        data-testid="column-editor"
        onSubmit={(e) => {
          e.preventDefault();
          const f = field.trim();
          onSave(custom ? { ...column, title: title.trim() || f, field: f, id: `field:${f}` } : { ...column, title: title.trim() || column.title });
        }}
        onKeyDown={(e) => e.key === 'Escape' && onClose()}
      >
        <h2>Edit column</h2>
        <label className="form-row">
          <span>Title</span>
          <input type="text" value={title} autoFocus onChange={(e) => setTitle(e.target.value)} data-testid="column-title" />
        </label>
        {custom && (
          <label className="form-row">
            <span>Field</span>
            <input type="text" value={field} spellCheck={false} onChange={(e) => setField(e.target.value)} data-testid="column-field" />
          </label>
        )}
        <div className="row-buttons end">
          <button type="button" className="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="button primary" disabled={custom && field.trim() === ''} data-testid="column-save">
            OK
          </button>
        </div>
      </form>
    </div>
  );
}
