// Hash routes (`#/board`, `#/menu`, `#/orders/12`…): the page works the same under `/` and
// `/chef-dashboard`, and the server needs no routes of its own.

export type Route =
  | { page: 'board' }
  | { page: 'menu' }
  | { page: 'settings' }
  | { page: 'calls' }
  | { page: 'summary' }
  | { page: 'phone' }
  | { page: 'new-order' }
  | { page: 'order'; id: number }
  | { page: 'edit-order'; id: number };

export function parseRoute(hash: string): Route {
  const path = hash.replace(/^#\/?/, '').split('?')[0] ?? '';
  const [first, second, third, ...more] = path.split('/');
  switch (first) {
    case 'menu':
    case 'settings':
    case 'calls':
    case 'summary':
    case 'phone':
    case 'new-order':
      return { page: first };
    case 'orders': {
      const id = Number(second);
      if (!Number.isInteger(id) || id <= 0 || more.length > 0) return { page: 'board' };
      if (third === undefined || third === '') return { page: 'order', id };
      return third === 'edit' ? { page: 'edit-order', id } : { page: 'board' };
    }
    default:
      return { page: 'board' };
  }
}

export function href(route: Route): string {
  switch (route.page) {
    case 'order':
      return `#/orders/${route.id}`;
    case 'edit-order':
      return `#/orders/${route.id}/edit`;
    default:
      return `#/${route.page}`;
  }
}
