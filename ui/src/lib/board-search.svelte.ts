// What was typed in the board's search box (it sits in the header, the board filters by it).

class BoardSearch {
  text = $state('');

  get active(): boolean {
    return this.text.trim() !== '';
  }
}

export const boardSearch = new BoardSearch();
