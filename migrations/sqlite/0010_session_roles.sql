-- Two roles (issue 15): a session is the owner's (the desktop window's sign-in link, or the
-- owner password) or a kitchen tablet's (joined by a one-time pairing code). A kitchen
-- session works the board and gets 403 on the owner's pages.
--
-- Sessions opened before roles existed become kitchen sessions: they may have been opened
-- on a shared tablet with the one password there was, and must not keep the owner's
-- rights. The owner's desktop window signs in afresh as the owner at its next launch, and a
-- browser asks for the owner password on the first owner page.
ALTER TABLE sessions
    ADD COLUMN role TEXT NOT NULL DEFAULT 'kitchen' CHECK (role IN ('owner', 'kitchen'));
